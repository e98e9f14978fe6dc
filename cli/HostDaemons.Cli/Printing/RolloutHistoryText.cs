using System.Globalization;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary><c>rollout history</c> as kubectl prints it (its HistoryViewer output after the <c>daemonset.apps/x</c> name).</summary>
internal static class RolloutHistoryText
{
    public const string ChangeCauseAnnotation = "kubernetes.io/change-cause";

    /// <summary>
    /// The revisions, ascending, with their change cause, through a tab writer with padding 2, or kubectl's
    /// "No rollout history found."; the caller prints <c>daemonset.apps/x </c> and a newline first.
    /// </summary>
    public static string Table(IEnumerable<ControllerRevision> revisions)
    {
        var sorted = revisions.OrderBy(r => r.Revision).ToList();
        if (sorted.Count == 0)
        {
            return "No rollout history found.";
        }

        var table = new GoTabWriter(minWidth: 0, tabWidth: 0, padding: 2, padChar: ' ');
        table.Write("REVISION\tCHANGE-CAUSE\n");
        foreach (var revision in sorted)
        {
            var cause = revision.Metadata.Annotations.TryGetValue(ChangeCauseAnnotation, out var c) && c.Length > 0 ? c : "<none>";
            table.Write($"{revision.Revision.ToString(CultureInfo.InvariantCulture)}\t{cause}\n");
        }

        return table.ToString();
    }
}
