using System.Globalization;
using HostDaemons.Api.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>
/// The placement preview: one row per node (<c>NODE  PLACEMENT  PODS  REASON</c>) with the control plane's decision
/// and the first rule that decided it, and the summary counts <c>describe ds</c> shows too.
/// </summary>
internal static class PlacementPrinter
{
    public static void WriteTable(ExplainPlacementResponse placement, TextWriter output)
    {
        var table = new TableWriter();
        table.AddRow("NODE", "PLACEMENT", "PODS", "REASON");
        foreach (var node in placement.Nodes)
        {
            table.AddRow(node.Node, Decision(node), node.Pods.Count == 0 ? "<none>" : string.Join(",", node.Pods), node.Reason.Length == 0 ? "<none>" : node.Reason);
        }

        table.WriteTo(output);
    }

    /// <summary><c>run</c>; <c>not run</c>; <c>not run (kept)</c> when the pod already there stays (an untolerated NoSchedule taint).</summary>
    public static string Decision(NodePlacement node) => node.ShouldRun ? "run" : node.ShouldContinueRunning && node.Pods.Count > 0 ? "not run (kept)" : "not run";

    /// <summary><c>3 nodes: 2 run, 1 not run (nodeSelector 1)</c>.</summary>
    public static string Summary(ExplainPlacementResponse placement)
    {
        var total = placement.Nodes.Count;
        var run = placement.Nodes.Count(n => n.ShouldRun);
        var text = $"{N(total)} {(total == 1 ? "node" : "nodes")}: {N(run)} run, {N(total - run)} not run";
        var byRule = placement.Nodes.Where(n => !n.ShouldRun)
            .GroupBy(n => n.Rule.Length == 0 ? "other" : n.Rule, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {N(g.Count())}")
            .ToList();
        return byRule.Count == 0 ? text : $"{text} ({string.Join(", ", byRule)})";
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
