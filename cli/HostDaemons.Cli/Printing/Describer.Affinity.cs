using HostDaemons.Model.Labels;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>
/// A template's affinity, which kubectl's DescribePodTemplate leaves out: node affinity as kubectl describes a
/// volume's (<c>Term 0: zone in [a, b]</c>), pod affinity terms as selector and topology key, preferred terms with their
/// weights. Printed only when the template has one.
/// </summary>
internal sealed partial class Describer
{
    private static void Affinity(DescribeWriter w, Affinity? affinity, int level)
    {
        if (affinity is null)
        {
            return;
        }

        if (affinity.NodeAffinity is { } node)
        {
            w.Write(level, "Node Affinity:\n");
            if (node.RequiredDuringSchedulingIgnoredDuringExecution is { } required)
            {
                w.Write(level + 1, "Required Terms:\n");
                for (var i = 0; i < required.NodeSelectorTerms.Count; i++)
                {
                    w.Write(level + 2, $"Term {N(i)}:\t{Term(required.NodeSelectorTerms[i])}\n");
                }
            }

            if (node.PreferredDuringSchedulingIgnoredDuringExecution.Count > 0)
            {
                w.Write(level + 1, "Preferred Terms:\n");
                foreach (var term in node.PreferredDuringSchedulingIgnoredDuringExecution)
                {
                    w.Write(level + 2, $"Weight {N(term.Weight)}:\t{Term(term.Preference ?? new NodeSelectorTerm())}\n");
                }
            }
        }

        PodTerms(w, "Pod Affinity", affinity.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution, affinity.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution, level);
        PodTerms(w, "Pod Anti-Affinity", affinity.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution, affinity.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution, level);
    }

    private static void PodTerms(DescribeWriter w, string title, IList<PodAffinityTerm>? required, IList<WeightedPodAffinityTerm>? preferred, int level)
    {
        if (required is null || preferred is null)
        {
            return;
        }

        w.Write(level, $"{title}:\n");
        if (required.Count > 0)
        {
            w.Write(level + 1, "Required Terms:\n");
            for (var i = 0; i < required.Count; i++)
            {
                w.Write(level + 2, $"Term {N(i)}:\t{PodTerm(required[i])}\n");
            }
        }

        if (preferred.Count > 0)
        {
            w.Write(level + 1, "Preferred Terms:\n");
            foreach (var term in preferred)
            {
                w.Write(level + 2, $"Weight {N(term.Weight)}:\t{PodTerm(term.PodAffinityTerm ?? new PodAffinityTerm())}\n");
            }
        }
    }

    private static string Term(NodeSelectorTerm term)
    {
        var text = NodeSelectorRequirements.Format(term);
        return text.Length == 0 ? "<none>" : text;
    }

    /// <summary><c>app=web in [kube-system] (topologyKey kubernetes.io/hostname)</c>.</summary>
    private static string PodTerm(PodAffinityTerm term)
    {
        var selector = term.LabelSelector is null ? "<no selector>" : LabelSelectors.IsEmpty(term.LabelSelector) ? "<all pods>" : LabelSelectors.Format(term.LabelSelector);
        var namespaces = term.Namespaces.Count == 0 ? "" : $" in [{string.Join(", ", term.Namespaces)}]";
        return $"{selector}{namespaces} (topologyKey {term.TopologyKey})";
    }
}
