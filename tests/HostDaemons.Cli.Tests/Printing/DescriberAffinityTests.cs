using HostDaemons.Api.V1;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Printing;

/// <summary>describe ds: the template's affinity (required and preferred) and the placement summary counts.</summary>
public sealed class DescriberAffinityTests
{
    private static readonly Describer s_describer = new(TestPods.Now, TimeZoneInfo.Utc);

    private static DaemonSet WithAffinity()
    {
        var ds = DescribeFixtures.DaemonSet();
        ds.Spec.Template.Spec.Affinity = new Affinity
        {
            NodeAffinity = new NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector
                {
                    NodeSelectorTerms =
                    {
                        new NodeSelectorTerm { MatchExpressions = { new NodeSelectorRequirement { Key = "kubernetes.io/e2e-az-name", Operator = "In", Values = { "e2e-az1", "e2e-az2" } } } },
                    },
                },
                PreferredDuringSchedulingIgnoredDuringExecution =
                {
                    new PreferredSchedulingTerm
                    {
                        Weight = 1,
                        Preference = new NodeSelectorTerm { MatchExpressions = { new NodeSelectorRequirement { Key = "another-node-label-key", Operator = "In", Values = { "another-node-label-value" } } } },
                    },
                },
            },
            PodAntiAffinity = new PodAntiAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                {
                    new WeightedPodAffinityTerm
                    {
                        Weight = 100,
                        PodAffinityTerm = new PodAffinityTerm { LabelSelector = new LabelSelector { MatchLabels = { ["security"] = "S2" } }, TopologyKey = "kubernetes.io/hostname" },
                    },
                },
            },
        };
        return ds;
    }

    [Fact]
    public void DaemonSet_Affinity_ShownAfterTolerations()
    {
        var text = s_describer.DaemonSet(WithAffinity(), [], []);

        Assert.Contains(
            "                   node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n" +
            "  Node Affinity:\n" +
            "    Required Terms:\n" +
            "      Term 0:  kubernetes.io/e2e-az-name in [e2e-az1, e2e-az2]\n" +
            "    Preferred Terms:\n" +
            "      Weight 1:  another-node-label-key in [another-node-label-value]\n" +
            "  Pod Anti-Affinity:\n" +
            "    Preferred Terms:\n" +
            "      Weight 100:  security=S2 (topologyKey kubernetes.io/hostname)\n" +
            "Events:",
            text, StringComparison.Ordinal);
    }

    [Fact]
    public void DaemonSet_WithPlacement_SummaryAfterMisscheduled()
    {
        var placement = new ExplainPlacementResponse
        {
            Nodes =
            {
                new NodePlacement { Node = "n1", ShouldRun = true, ShouldContinueRunning = true },
                new NodePlacement { Node = "n2", Rule = "nodeAffinity" },
            },
        };

        var text = s_describer.DaemonSet(WithAffinity(), [], [], placement);

        Assert.Contains("Number of Nodes Misscheduled: 0\nNode Placement:  2 nodes: 1 run, 1 not run (nodeAffinity 1)\nPods Status:", text, StringComparison.Ordinal);
    }
}
