using System.Globalization;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>
/// <c>rollout status</c>'s words: kubectl's DaemonSetStatusViewer line, and under it, while the rollout goes on, each
/// node with its pod's revision and readiness, and why a stalled rolling update waits.
/// </summary>
internal static class RolloutStatusText
{
    public const string OnlyRollingUpdate = "rollout status is only available for RollingUpdate strategy type";

    /// <summary>kubectl's line for the DaemonSet's status (without its newline), and whether the rollout is done.</summary>
    public static (string Line, bool Done) Status(DaemonSet ds)
    {
        var name = ds.Metadata.Name;
        var status = ds.Status ?? new DaemonSetStatus();
        if (ds.Metadata.Generation > status.ObservedGeneration)
        {
            return ("Waiting for daemon set spec update to be observed...", false);
        }

        if (status.UpdatedNumberScheduled < status.DesiredNumberScheduled)
        {
            return (Invariant($"Waiting for daemon set \"{name}\" rollout to finish: {status.UpdatedNumberScheduled} out of {status.DesiredNumberScheduled} new pods have been updated..."), false);
        }

        if (status.NumberAvailable < status.DesiredNumberScheduled)
        {
            return (Invariant($"Waiting for daemon set \"{name}\" rollout to finish: {status.NumberAvailable} of {status.DesiredNumberScheduled} updated pods are available..."), false);
        }

        return ($"daemon set \"{name}\" successfully rolled out", true);
    }

    /// <summary>One line per node (its pod, revision, and state), then the stall, if any: the lines under kubectl's.</summary>
    public static string Details(RolloutProgress progress)
    {
        var table = new GoTabWriter(minWidth: 0, tabWidth: 8, padding: 3, padChar: ' ');
        foreach (var node in progress.Nodes)
        {
            var revision = node.Revision > 0 ? Invariant($"revision {node.Revision}") : "revision ?";
            table.Write($"  {node.Node}\t{node.Pod}\t{revision} ({(node.Updated ? "updated" : "old")})\t{State(node)}\n");
        }

        var text = table.ToString();
        if (progress.Stalled.Length > 0)
        {
            var ds = progress.DaemonSet.Metadata.Name;
            text += $"  {progress.Stalled} (\"hdctl rollout undo daemonset/{ds}\" goes back to the previous revision)\n";
        }

        return text;
    }

    private static string State(NodeRollout node) => node switch
    {
        { Terminating: true } => "terminating",
        { Available: true } => "available",
        { Ready: true } => "ready, not yet available",
        { Reason.Length: > 0 } => $"not ready: {node.Reason}",
        _ => "not ready",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
