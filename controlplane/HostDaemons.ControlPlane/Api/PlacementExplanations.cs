using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// The placement preview: every node with the decision the controller makes there (the same <see cref="Placement"/>),
/// the first rule that decided it, and the DaemonSet's pods on it now.
/// </summary>
internal static class PlacementExplanations
{
    public static ExplainPlacementResponse Explain(DaemonSet ds, PlacementContext context, IReadOnlyCollection<Pod> ownPods)
    {
        var rules = Placement.For(ds, context);
        var podsByNode = ownPods.Where(p => p.Spec?.NodeName is { Length: > 0 })
            .GroupBy(p => p.Spec.NodeName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p, Comparer<Pod>.Create(PodConditions.CompareOldestFirst)).Select(p => p.Metadata.Name).ToList(), StringComparer.Ordinal);
        var response = new ExplainPlacementResponse();
        foreach (var node in context.Nodes.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            var decision = rules.Evaluate(node);
            var row = new NodePlacement
            {
                Node = node.Metadata.Name,
                ShouldRun = decision.ShouldRun,
                ShouldContinueRunning = decision.ShouldContinueRunning,
                Reason = decision.Reason,
                Rule = RuleName(decision.Rule),
            };
            row.Pods.Add(podsByNode.GetValueOrDefault(node.Metadata.Name) ?? []);
            response.Nodes.Add(row);
        }

        return response;
    }

    /// <summary>The rule as the manifest names it.</summary>
    public static string RuleName(PlacementRule rule) => rule switch
    {
        PlacementRule.None => "",
        PlacementRule.NoTemplate => "template",
        PlacementRule.NodeName => "nodeName",
        PlacementRule.NodeSelector => "nodeSelector",
        PlacementRule.NodeAffinity => "nodeAffinity",
        PlacementRule.Taint => "taint",
        PlacementRule.PodAffinity => "podAffinity",
        PlacementRule.PodAntiAffinity => "podAntiAffinity",
        _ => rule.ToString(),
    };
}
