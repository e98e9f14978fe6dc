using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class PlacementTests
{
    private static PlacementDecision Decide(DaemonSet ds, Node node, IReadOnlyCollection<Pod>? pods = null, DateTimeOffset? now = null) =>
        Placement.For(ds, new PlacementContext([node], () => pods ?? [], now ?? Epoch)).Evaluate(node);

    private static (bool Run, bool Continue) Flags(PlacementDecision decision) => (decision.ShouldRun, decision.ShouldContinueRunning);

    [Fact]
    public void Evaluate_NoSelectorNoTaints_RunsEverywhere()
    {
        var decision = Decide(DaemonSet(), Node("n1"));

        Assert.Equal(PlacementDecision.Yes, decision);
    }

    [Fact]
    public void Evaluate_NodeSelectorMatches_Runs()
    {
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd", "zone=a"));

        Assert.Equal(PlacementDecision.Yes, Decide(ds, Node("n1", Labels("disk=ssd", "zone=a", "extra=1"))));
    }

    [Theory]
    [InlineData("disk=hdd")]
    [InlineData("zone=a")]
    [InlineData("Disk=ssd")]
    public void Evaluate_NodeSelectorMismatch_NeitherRunsNorContinuesAndSaysWhich(string nodeLabel)
    {
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd"));

        var decision = Decide(ds, Node("n1", Labels(nodeLabel)));

        Assert.Equal((false, false), Flags(decision));
        Assert.Equal(PlacementRule.NodeSelector, decision.Rule);
        Assert.Equal("nodeSelector disk=ssd not matched", decision.Reason);
    }

    [Fact]
    public void Evaluate_NodeSelectorNeedsEveryPair_NamesTheFirstMissingByKey()
    {
        var ds = DaemonSet(nodeSelector: Labels("zone=a", "disk=ssd"));

        var decision = Decide(ds, Node("n1", Labels("zone=a")));

        Assert.Equal("nodeSelector disk=ssd not matched", decision.Reason);
    }

    [Fact]
    public void Evaluate_TemplateNodeNameOtherNode_IsNo()
    {
        var ds = DaemonSet();
        ds.Spec.Template.Spec.NodeName = "n2";

        Assert.Equal(PlacementDecision.Refuse(PlacementRule.NodeName, "nodeName n2 not matched"), Decide(ds, Node("n1")));
        Assert.Equal(PlacementDecision.Yes, Decide(ds, Node("n2")));
    }

    [Fact]
    public void Evaluate_UntoleratedNoSchedule_StopsNewPodsButKeepsRunningOne()
    {
        var decision = Decide(DaemonSet(), Node("n1", null, Taint("dedicated", "NoSchedule", "infra")));

        Assert.Equal((false, true), Flags(decision));
        Assert.Equal("taint dedicated=infra:NoSchedule not tolerated", decision.Reason);
        Assert.False(decision.EvictsByTaint);
    }

    [Fact]
    public void Evaluate_UntoleratedNoExecute_EvictsByTaint()
    {
        var decision = Decide(DaemonSet(), Node("n1", null, Taint("dedicated", "NoExecute", "db")));

        Assert.Equal((false, false), Flags(decision));
        Assert.True(decision.EvictsByTaint);
        Assert.Equal("taint dedicated=db:NoExecute not tolerated", decision.Reason);
    }

    [Fact]
    public void Evaluate_NoScheduleAndNoExecuteBothUntolerated_NoExecuteWins()
    {
        var decision = Decide(DaemonSet(), Node("n1", null, Taint("a", "NoSchedule"), Taint("b", "NoExecute")));

        Assert.Equal((false, false), Flags(decision));
        Assert.Equal("taint b:NoExecute not tolerated", decision.Reason);
    }

    [Fact]
    public void Evaluate_PreferNoSchedule_IsIgnored()
    {
        Assert.Equal(PlacementDecision.Yes, Decide(DaemonSet(), Node("n1", null, Taint("dedicated", "PreferNoSchedule", "db"))));
    }

    [Fact]
    public void Evaluate_SelectorMismatchWithToleratedTaints_StillNoBySelector()
    {
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd")).WithTolerations(Toleration("", "Exists"));

        Assert.Equal(PlacementRule.NodeSelector, Decide(ds, Node("n1", Labels("disk=hdd"), Taint("x", "NoSchedule"))).Rule);
    }

    [Fact]
    public void Evaluate_Seed003MasterToleration_RunsOnTaintedMaster()
    {
        var ds = DaemonSet().WithTolerations(Toleration("node-role.kubernetes.io/master", "", "", "NoSchedule"));

        Assert.Equal(PlacementDecision.Yes, Decide(ds, Node("master", null, Taint("node-role.kubernetes.io/master", "NoSchedule"))));
    }

    [Fact]
    public void Evaluate_ToleratedNoExecute_Runs()
    {
        var ds = DaemonSet().WithTolerations(Toleration("dedicated", "Equal", "db", "NoExecute"));

        Assert.Equal(PlacementDecision.Yes, Decide(ds, Node("n1", null, Taint("dedicated", "NoExecute", "db"))));
    }

    [Fact]
    public void Evaluate_WildcardToleration_ToleratesEverything()
    {
        var ds = DaemonSet().WithTolerations(Toleration("", "Exists"));

        Assert.Equal(PlacementDecision.Yes, Decide(ds, Node("n1", null, Taint("a", "NoSchedule"), Taint("b", "NoExecute", "x"))));
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
        Assert.Equal(PlacementDecision.Yes, Decide(DaemonSet(), Node("n1", null, Taint(key, effect))));
    }

    [Fact]
    public void Evaluate_CordonedNode_StillRuns()
    {
        var node = Node("n1", null, Taint("node.kubernetes.io/unschedulable", "NoSchedule"));
        node.Spec.Unschedulable = true;

        Assert.Equal(PlacementDecision.Yes, Decide(DaemonSet(), node));
    }

    [Fact]
    public void Evaluate_UnschedulableNoExecute_IsNotDefaultTolerated()
    {
        Assert.Equal((false, false), Flags(Decide(DaemonSet(), Node("n1", null, Taint("node.kubernetes.io/unschedulable", "NoExecute")))));
    }

    [Fact]
    public void Evaluate_NetworkUnavailableWithoutHostNetwork_NotTolerated()
    {
        var node = Node("n1", null, Taint("node.kubernetes.io/network-unavailable", "NoSchedule"));

        Assert.Equal((false, true), Flags(Decide(DaemonSet(), node)));
    }

    [Fact]
    public void Evaluate_NetworkUnavailableWithHostNetwork_Tolerated()
    {
        var ds = DaemonSet();
        ds.Spec.Template.Spec.HostNetwork = true;

        Assert.Equal(PlacementDecision.Yes, Decide(ds, Node("n1", null, Taint("node.kubernetes.io/network-unavailable", "NoSchedule"))));
    }

    [Fact]
    public void Evaluate_NoTemplate_IsNo()
    {
        var ds = DaemonSet();
        ds.Spec.Template = null;

        Assert.Equal(PlacementRule.NoTemplate, Decide(ds, Node("n1")).Rule);
    }

    [Fact]
    public void Evaluate_NodeAffinityBeforeTaints_AffinityNamed()
    {
        var ds = DaemonSet().WithNodeAffinity(Term(Expression("zone", "In", "a")));

        var decision = Decide(ds, Node("n1", Labels("zone=b"), Taint("x", "NoExecute")));

        Assert.Equal(PlacementRule.NodeAffinity, decision.Rule);
        Assert.Equal("nodeAffinity zone in [a] not matched", decision.Reason);
    }

    [Fact]
    public void Evaluate_PodAffinityFailsOnNoScheduleTaintedNode_NotKept()
    {
        var ds = DaemonSet().WithPodAffinity(PodTerm("app=web", "kubernetes.io/hostname"));
        var node = Node("n1", Labels("kubernetes.io/hostname=n1"), Taint("x", "NoSchedule"));

        Assert.Equal((false, false), Flags(Decide(ds, node)));
    }

    [Fact]
    public void Evaluate_TolerationSecondsRunning_RunsWithRecheckAtExpiry()
    {
        var ds = DaemonSet().WithTolerations(WithSeconds(Toleration("dedicated", "Exists", "", "NoExecute"), 30));
        var node = Node("n1", null, Added(Taint("dedicated", "NoExecute"), Epoch));

        var decision = Decide(ds, node, now: Epoch.AddSeconds(10));

        Assert.Equal((true, true), Flags(decision));
        Assert.Equal(Epoch.AddSeconds(30), decision.RecheckAt);
    }

    [Fact]
    public void Evaluate_TolerationSecondsPassed_EvictsAndIsNotRecreated()
    {
        var ds = DaemonSet().WithTolerations(WithSeconds(Toleration("dedicated", "Exists", "", "NoExecute"), 30));
        var node = Node("n1", null, Added(Taint("dedicated", "NoExecute"), Epoch));

        var decision = Decide(ds, node, now: Epoch.AddSeconds(30));

        Assert.Equal((false, false), Flags(decision));
        Assert.True(decision.EvictsByTaint);
        Assert.StartsWith("taint dedicated:NoExecute tolerated for 30s only", decision.Reason, StringComparison.Ordinal);
    }

    internal static Toleration WithSeconds(Toleration toleration, long seconds)
    {
        toleration.TolerationSeconds = seconds;
        return toleration;
    }

    internal static Taint Added(Taint taint, DateTimeOffset when)
    {
        taint.TimeAdded = Timestamp.FromDateTimeOffset(when);
        return taint;
    }
}
