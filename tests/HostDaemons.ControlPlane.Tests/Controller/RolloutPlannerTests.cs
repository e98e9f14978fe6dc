using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

/// <summary>The rolling update on fake nodes: budgets (ints, percentages, rounding), surge, minReadySeconds, OnDelete.</summary>
public sealed class RolloutPlannerTests
{
    private const string Current = "newhash";
    private const string Old = "oldhash";

    private static readonly DateTimeOffset s_now = Epoch.AddHours(1);

    private static Node[] Nodes(int count) => [.. Enumerable.Range(1, count).Select(i => Node($"n{i}"))];

    private static DaemonSetPlan Plan(DaemonSet ds, IReadOnlyCollection<Node> nodes, IEnumerable<Pod> pods) =>
        DaemonSetPlanner.Plan(ds, nodes, [.. pods], Current, s_now);

    private static Pod Ready(DaemonSet ds, string node, string hash, string name, DateTimeOffset? since = null) =>
        DaemonPod(ds, node, hash, name, readySince: since ?? Epoch);

    private static Pod NotReady(DaemonSet ds, string node, string hash, string name) => DaemonPod(ds, node, hash, name);

    private static IEnumerable<Pod> OldOnEvery(DaemonSet ds, IEnumerable<Node> nodes) =>
        nodes.Select(n => Ready(ds, n.Metadata.Name, Old, "old-" + n.Metadata.Name));

    private static DaemonSet Surge(IntOrString surge)
    {
        var ds = DaemonSet().WithMaxUnavailable(Int(0));
        ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge = surge;
        return ds;
    }

    [Theory]
    [InlineData("10%", 10, 1)]
    [InlineData("10%", 11, 2)]
    [InlineData("34%", 3, 2)]
    [InlineData("50%", 5, 3)]
    [InlineData("100%", 4, 4)]
    public void Plan_PercentMaxUnavailable_ScalesAgainstDesiredRoundingUp(string percent, int nodeCount, int expected)
    {
        var ds = DaemonSet().WithMaxUnavailable(Percent(percent));
        var nodes = Nodes(nodeCount);

        var plan = Plan(ds, nodes, OldOnEvery(ds, nodes));

        Assert.Equal(expected, plan.Deletions.Count);
        Assert.All(plan.Deletions, d => Assert.Equal(DeletionReason.Outdated, d.Reason));
        Assert.Empty(plan.NodesNeedingPods);
    }

    [Fact]
    public void Plan_DeleteFirst_UnavailableOldPodsGoFirstAndUseTheBudget()
    {
        var ds = DaemonSet();
        var nodes = Nodes(3);

        var plan = Plan(ds, nodes, [Ready(ds, "n1", Old, "a"), NotReady(ds, "n2", Old, "b"), Ready(ds, "n3", Old, "c")]);

        Assert.Equal("b", Assert.Single(plan.Deletions).Pod.Metadata.Name);
    }

    [Fact]
    public void Plan_DeleteFirst_BrokenNewPodHoldsTheBudget_NothingElseIsTouched()
    {
        var ds = DaemonSet();
        var nodes = Nodes(3);

        var plan = Plan(ds, nodes, [NotReady(ds, "n1", Current, "new"), Ready(ds, "n2", Old, "b"), Ready(ds, "n3", Old, "c")]);

        Assert.True(plan.IsEmpty);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    public void Plan_Surge_CreatesBesideTheOldPodsUpToMaxSurge(int surge, int expected)
    {
        var ds = Surge(Int(surge));
        var nodes = Nodes(3);

        var plan = Plan(ds, nodes, OldOnEvery(ds, nodes));

        Assert.Equal(expected, plan.NodesNeedingPods.Count);
        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void Plan_SurgePercent_RoundsUp()
    {
        var ds = Surge(Percent("20%"));
        var nodes = Nodes(6);

        var plan = Plan(ds, nodes, OldOnEvery(ds, nodes));

        Assert.Equal(2, plan.NodesNeedingPods.Count);
    }

    [Fact]
    public void Plan_Surge_NewPodNotAvailableYet_KeepsBothAndCountsTowardTheSurge()
    {
        var ds = Surge(Int(1));
        var nodes = Nodes(2);

        var plan = Plan(ds, nodes, [Ready(ds, "n1", Old, "old1"), NotReady(ds, "n1", Current, "new1"), Ready(ds, "n2", Old, "old2")]);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_Surge_NewPodAvailable_OldOneGoesAndTheNextNodeSurges()
    {
        var ds = Surge(Int(1));
        var nodes = Nodes(2);

        var plan = Plan(ds, nodes, [Ready(ds, "n1", Old, "old1"), Ready(ds, "n1", Current, "new1"), Ready(ds, "n2", Old, "old2")]);

        Assert.Equal("old1", Assert.Single(plan.Deletions).Pod.Metadata.Name);
        Assert.Equal(["n2"], plan.NodesNeedingPods);
    }

    [Fact]
    public void Plan_Surge_OldPodNotAvailable_NewPodAtOnceBeyondTheBudget()
    {
        var ds = Surge(Int(1));
        var nodes = Nodes(2);

        var plan = Plan(ds, nodes, [Ready(ds, "n1", Old, "old1"), NotReady(ds, "n1", Current, "new1"), NotReady(ds, "n2", Old, "old2")]);

        Assert.Equal(["n2"], plan.NodesNeedingPods);
        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void Plan_MinReadySeconds_ReadyPodCountsOnlyAfterwardsAndTheSyncIsScheduledThen()
    {
        var ds = DaemonSet();
        ds.Spec.MinReadySeconds = 30;
        var nodes = Nodes(2);
        var readySince = s_now.AddSeconds(-10);

        var plan = Plan(ds, nodes, [Ready(ds, "n1", Current, "new1", readySince), Ready(ds, "n2", Old, "old2")]);

        Assert.True(plan.IsEmpty);
        Assert.Equal(readySince.AddSeconds(30), plan.RecheckAt);

        var later = DaemonSetPlanner.Plan(ds, nodes, [Ready(ds, "n1", Current, "new1", readySince), Ready(ds, "n2", Old, "old2")], Current, readySince.AddSeconds(30));
        Assert.Equal("old2", Assert.Single(later.Deletions).Pod.Metadata.Name);
        Assert.Null(later.RecheckAt);
    }

    [Fact]
    public void Plan_MinReadySecondsZero_NoRecheck()
    {
        var ds = DaemonSet();
        var nodes = Nodes(1);

        var plan = Plan(ds, nodes, [Ready(ds, "n1", Current, "new1", s_now)]);

        Assert.Null(plan.RecheckAt);
    }

    [Fact]
    public void Plan_OnDelete_TemplateChangeTouchesNothing_DeletedOrFailedPodsComeBackNew()
    {
        var ds = DaemonSet().WithOnDelete();
        var nodes = Nodes(3);
        var failed = DaemonPod(ds, "n3", Old, "failed", readySince: Epoch, phase: "Failed");

        var plan = Plan(ds, nodes, [Ready(ds, "n1", Old, "a"), failed]);

        Assert.Equal(["n2"], plan.NodesNeedingPods);
        Assert.Equal("failed", Assert.Single(plan.Deletions).Pod.Metadata.Name);
        Assert.Equal(DeletionReason.Finished, plan.Deletions[0].Reason);
    }

    [Fact]
    public void AvailableAt_ReadyForLessThanMinReady_IsTheMomentItBecomesAvailable()
    {
        var ds = DaemonSet();
        var pod = Ready(ds, "n1", Current, "p", s_now.AddSeconds(-1));

        Assert.Equal(s_now.AddSeconds(1), PodConditions.AvailableAt(pod, 2, s_now));
        Assert.Null(PodConditions.AvailableAt(pod, 1, s_now));
        Assert.Null(PodConditions.AvailableAt(NotReady(ds, "n1", Current, "q"), 2, s_now));
        pod.Status.Conditions[0].LastTransitionTime = Timestamp.FromDateTimeOffset(s_now.AddSeconds(-1));
        Assert.False(PodConditions.IsAvailable(pod, 2, s_now));
        Assert.True(PodConditions.IsAvailable(pod, 2, s_now.AddSeconds(1)));
    }
}
