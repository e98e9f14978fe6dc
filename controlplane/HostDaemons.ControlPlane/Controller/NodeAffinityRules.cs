using HostDaemons.Model.Labels;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// Kubernetes' GetRequiredNodeAffinity(pod).Match(node): every nodeSelector pair, and at least one of the required
/// node selector terms (an empty term matches nothing; inside a term every expression and field holds). The preferred
/// terms never decide where a daemon pod runs.
/// </summary>
internal static class NodeAffinityRules
{
    /// <summary>Null when the node fits, else why not.</summary>
    public static (PlacementRule Rule, string Reason)? Check(PodSpec spec, Node node)
    {
        var labels = node.Metadata.Labels;
        foreach (var (key, value) in spec.NodeSelector.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return (PlacementRule.NodeSelector, $"nodeSelector {key}={value} not matched");
            }
        }

        var terms = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        if (terms is null || terms.Count == 0)
        {
            return null;
        }

        var failures = new List<string>();
        foreach (var term in terms)
        {
            var failure = FirstFailure(term, node);
            if (failure is null)
            {
                return null;
            }

            failures.Add(failure);
        }

        var reason = failures.Count == 1
            ? $"nodeAffinity {failures[0]} not matched"
            : $"nodeAffinity: none of {failures.Count} terms matched ({string.Join("; ", failures.Select((f, i) => $"term {i}: {f}"))})";
        return (PlacementRule.NodeAffinity, reason);
    }

    /// <summary>The first requirement of the term the node fails, formatted; null when the term matches.</summary>
    private static string? FirstFailure(NodeSelectorTerm term, Node node)
    {
        if (term.MatchExpressions.Count == 0 && term.MatchFields.Count == 0)
        {
            return "empty term";
        }

        foreach (var requirement in term.MatchExpressions)
        {
            if (!NodeSelectorRequirements.Matches(requirement, node.Metadata.Labels))
            {
                return NodeSelectorRequirements.Format(requirement);
            }
        }

        foreach (var requirement in term.MatchFields)
        {
            if (!NodeSelectorRequirements.MatchesField(requirement, node.Metadata.Name))
            {
                return NodeSelectorRequirements.Format(requirement);
            }
        }

        return null;
    }
}
