using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Tests.TestServices;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class PlacementTests
{
    [Fact]
    public void Evaluate_NoSelectorNoTaints_RunsEverywhere()
    {
        var decision = Placement.Evaluate(DaemonSet(), Node("n1"));

        Assert.Equal(new PlacementDecision(true, true), decision);
    }

    [Fact]
    public void Evaluate_NodeSelectorMatches_Runs()
    {
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd", "zone=a"));

        var decision = Placement.Evaluate(ds, Node("n1", Labels("disk=ssd", "zone=a", "extra=1")));

        Assert.Equal(PlacementDecision.Yes, decision);
    }

    [Theory]
    [InlineData("disk=hdd")]
    [InlineData("zone=a")]
    [InlineData("Disk=ssd")]
    public void Evaluate_NodeSelectorMismatch_NeitherRunsNorContinues(string nodeLabel)
    {
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd"));

        var decision = Placement.Evaluate(ds, Node("n1", Labels(nodeLabel)));

        Assert.Equal(PlacementDecision.No, decision);
    }

    [Fact]
    public void Evaluate_NodeSelectorNeedsEveryPair_PartialMatchIsNo()
    {
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd", "zone=a"));

        Assert.Equal(PlacementDecision.No, Placement.Evaluate(ds, Node("n1", Labels("disk=ssd"))));
    }

    [Fact]
    public void Evaluate_TemplateNodeNameOtherNode_IsNo()
    {
        var ds = DaemonSet();
        ds.Spec.Template.Spec.NodeName = "n2";

        Assert.Equal(PlacementDecision.No, Placement.Evaluate(ds, Node("n1")));
        Assert.Equal(PlacementDecision.Yes, Placement.Evaluate(ds, Node("n2")));
    }

    [Fact]
    public void Evaluate_UntoleratedNoSchedule_StopsNewPodsButKeepsRunningOne()
    {
        var decision = Placement.Evaluate(DaemonSet(), Node("n1", null, Taint("dedicated", "NoSchedule", "db")));

        Assert.Equal(new PlacementDecision(false, true), decision);
    }

    [Fact]
    public void Evaluate_UntoleratedNoExecute_NeitherRunsNorContinues()
    {
        var decision = Placement.Evaluate(DaemonSet(), Node("n1", null, Taint("dedicated", "NoExecute", "db")));

        Assert.Equal(new PlacementDecision(false, false), decision);
    }

    [Fact]
    public void Evaluate_NoScheduleAndNoExecuteBothUntolerated_NoExecuteWins()
    {
        var node = Node("n1", null, Taint("a", "NoSchedule"), Taint("b", "NoExecute"));

        Assert.Equal(PlacementDecision.No, Placement.Evaluate(DaemonSet(), node));
    }

    [Fact]
    public void Evaluate_PreferNoSchedule_IsIgnored()
    {
        var decision = Placement.Evaluate(DaemonSet(), Node("n1", null, Taint("dedicated", "PreferNoSchedule", "db")));

        Assert.Equal(PlacementDecision.Yes, decision);
    }

    [Fact]
    public void Evaluate_SelectorMismatchWithToleratedTaints_StillNo()
    {
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd")).WithTolerations(Toleration("", "Exists"));

        Assert.Equal(PlacementDecision.No, Placement.Evaluate(ds, Node("n1", Labels("disk=hdd"), Taint("x", "NoSchedule"))));
    }

    [Theory]
    [InlineData("dedicated", "Equal", "db", "NoSchedule", true)]
    [InlineData("dedicated", "", "db", "NoSchedule", true)]
    [InlineData("dedicated", "Equal", "web", "NoSchedule", false)]
    [InlineData("dedicated", "Exists", "", "NoSchedule", true)]
    [InlineData("dedicated", "Exists", "anything", "NoSchedule", true)]
    [InlineData("other", "Exists", "", "NoSchedule", false)]
    [InlineData("dedicated", "Exists", "", "", true)]
    [InlineData("dedicated", "Equal", "db", "", true)]
    [InlineData("dedicated", "Exists", "", "NoExecute", false)]
    [InlineData("", "Exists", "", "", true)]
    [InlineData("", "Exists", "", "NoSchedule", true)]
    [InlineData("", "Exists", "", "NoExecute", false)]
    [InlineData("dedicated", "Lt", "db", "NoSchedule", false)]
    public void Tolerates_Matrix_MatchesKubernetes(string key, string @operator, string value, string effect, bool expected)
    {
        var taint = Taint("dedicated", "NoSchedule", "db");

        Assert.Equal(expected, Placement.Tolerates(Toleration(key, @operator, value, effect), taint));
    }

    [Fact]
    public void Tolerates_EmptyKeyWithEqual_DoesNotMatchEveryTaint()
    {
        // Only Exists turns an empty key into a wildcard; Equal with an empty key and value matches an empty-valued taint.
        Assert.False(Placement.Tolerates(Toleration("", "Equal", "", ""), Taint("dedicated", "NoSchedule", "db")));
    }

    [Fact]
    public void Evaluate_ToleratedNoExecute_Runs()
    {
        var ds = DaemonSet().WithTolerations(Toleration("dedicated", "Equal", "db", "NoExecute"));

        Assert.Equal(PlacementDecision.Yes, Placement.Evaluate(ds, Node("n1", null, Taint("dedicated", "NoExecute", "db"))));
    }

    [Fact]
    public void Evaluate_WildcardToleration_ToleratesEverything()
    {
        var ds = DaemonSet().WithTolerations(Toleration("", "Exists"));
        var node = Node("n1", null, Taint("a", "NoSchedule"), Taint("b", "NoExecute", "x"));

        Assert.Equal(PlacementDecision.Yes, Placement.Evaluate(ds, node));
    }

    [Theory]
    [InlineData("node.kubernetes.io/unschedulable", "NoSchedule")]
    [InlineData("node.kubernetes.io/not-ready", "NoExecute")]
    [InlineData("node.kubernetes.io/unreachable", "NoExecute")]
    [InlineData("node.kubernetes.io/disk-pressure", "NoSchedule")]
    [InlineData("node.kubernetes.io/memory-pressure", "NoSchedule")]
    [InlineData("node.kubernetes.io/pid-pressure", "NoSchedule")]
    public void Evaluate_DefaultToleratedTaint_Runs(string key, string effect)
    {
        Assert.Equal(PlacementDecision.Yes, Placement.Evaluate(DaemonSet(), Node("n1", null, Taint(key, effect))));
    }

    [Fact]
    public void Evaluate_UnschedulableNoExecute_IsNotDefaultTolerated()
    {
        // The default toleration for unschedulable is NoSchedule only.
        var node = Node("n1", null, Taint("node.kubernetes.io/unschedulable", "NoExecute"));

        Assert.Equal(PlacementDecision.No, Placement.Evaluate(DaemonSet(), node));
    }

    [Fact]
    public void Evaluate_NetworkUnavailableWithoutHostNetwork_NotTolerated()
    {
        var node = Node("n1", null, Taint("node.kubernetes.io/network-unavailable", "NoSchedule"));

        Assert.Equal(new PlacementDecision(false, true), Placement.Evaluate(DaemonSet(), node));
    }

    [Fact]
    public void Evaluate_NetworkUnavailableWithHostNetwork_Tolerated()
    {
        var ds = DaemonSet();
        ds.Spec.Template.Spec.HostNetwork = true;
        var node = Node("n1", null, Taint("node.kubernetes.io/network-unavailable", "NoSchedule"));

        Assert.Equal(PlacementDecision.Yes, Placement.Evaluate(ds, node));
    }

    [Fact]
    public void Evaluate_NoTemplate_IsNo()
    {
        var ds = DaemonSet();
        ds.Spec.Template = null;

        Assert.Equal(PlacementDecision.No, Placement.Evaluate(ds, Node("n1")));
    }

    [Fact]
    public void DefaultTolerations_AddTo_AddsEachOnceAndKeepsExisting()
    {
        var spec = DaemonSet().Spec.Template.Spec;
        spec.Tolerations.Add(Toleration("node.kubernetes.io/not-ready", "Exists", "", "NoExecute"));
        spec.Tolerations[0].TolerationSeconds = 60;

        DefaultTolerations.AddTo(spec);
        DefaultTolerations.AddTo(spec);

        Assert.Equal(6, spec.Tolerations.Count);
        Assert.Equal(60, spec.Tolerations.Single(t => t.Key == "node.kubernetes.io/not-ready").TolerationSeconds);
        Assert.DoesNotContain(spec.Tolerations, t => t.Key == "node.kubernetes.io/network-unavailable");
        Assert.All(spec.Tolerations, t => Assert.Equal("Exists", t.Operator));
    }

    [Fact]
    public void DefaultTolerations_HostNetwork_AddsNetworkUnavailable()
    {
        var spec = DaemonSet().Spec.Template.Spec;
        spec.HostNetwork = true;

        DefaultTolerations.AddTo(spec);

        Assert.Equal(7, spec.Tolerations.Count);
        Assert.Contains(spec.Tolerations, t => t is { Key: "node.kubernetes.io/network-unavailable", Effect: "NoSchedule", Operator: "Exists" });
    }
}
