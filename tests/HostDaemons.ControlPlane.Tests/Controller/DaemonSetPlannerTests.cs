using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class DaemonSetPlannerTests
{
    private const string Current = "newhash";
    private const string Old = "oldhash";

    private static readonly DateTimeOffset s_now = Epoch.AddHours(1);

    private static DaemonSetPlan Plan(DaemonSet ds, IReadOnlyCollection<Node> nodes, params Pod[] pods) =>
        DaemonSetPlanner.Plan(ds, nodes, pods, Current, s_now);

    private static Pod Ready(DaemonSet ds, string node, string hash, string name, DateTimeOffset? created = null) =>
        DaemonPod(ds, node, hash, name, created, readySince: Epoch);

    private static string[] Deleted(DaemonSetPlan plan) => [.. plan.Deletions.Select(d => d.Pod.Metadata.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public void Plan_NoPodsEligibleNodes_CreatesOnEach()
    {
        var plan = Plan(DaemonSet(), [Node("n1"), Node("n2")]);

        Assert.Equal(["n1", "n2"], plan.NodesNeedingPods.Order(StringComparer.Ordinal));
        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void Plan_NoNodes_IsEmpty()
    {
        Assert.True(Plan(DaemonSet(), []).IsEmpty);
    }

    [Fact]
    public void Plan_PodOnEveryEligibleNode_IsEmpty()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1"), Node("n2")], Ready(ds, "n1", Current, "a"), Ready(ds, "n2", Current, "b"));

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_SelectorMismatchNoPod_DoesNothing()
    {
        var plan = Plan(DaemonSet(nodeSelector: Labels("disk=ssd")), [Node("n1", Labels("disk=hdd"))]);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_NodeNoLongerMatches_DeletesItsPod()
    {
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd"));

        var plan = Plan(ds, [Node("n1", Labels("disk=hdd")), Node("n2", Labels("disk=ssd"))],
            Ready(ds, "n1", Current, "a"), Ready(ds, "n2", Current, "b"));

        var deletion = Assert.Single(plan.Deletions);
        Assert.Equal("a", deletion.Pod.Metadata.Name);
        Assert.Equal(DeletionReason.NodeNoLongerEligible, deletion.Reason);
        Assert.Empty(plan.NodesNeedingPods);
    }

    [Fact]
    public void Plan_UntoleratedNoExecuteTaint_DeletesPod()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1", null, Taint("evict", "NoExecute"))], Ready(ds, "n1", Current, "a"));

        Assert.Equal(DeletionReason.TaintEviction, Assert.Single(plan.Deletions).Reason);
    }

    [Fact]
    public void Plan_UntoleratedNoScheduleTaint_KeepsRunningPodAndCreatesNone()
    {
        var ds = DaemonSet();
        var tainted = Node("n1", null, Taint("maint", "NoSchedule"));

        Assert.True(Plan(ds, [tainted], Ready(ds, "n1", Current, "a")).IsEmpty);
        Assert.True(Plan(ds, [tainted]).IsEmpty);
    }

    [Fact]
    public void Plan_NodeNoLongerMatches_LeavesTerminatingPodAlone()
    {
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd"));

        var plan = Plan(ds, [Node("n1")], DaemonPod(ds, "n1", Current, "a", terminating: true));

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_Duplicates_KeepsOldestByCreationTime()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1")],
            Ready(ds, "n1", Current, "a-newest", Epoch.AddMinutes(2)),
            Ready(ds, "n1", Current, "z-oldest", Epoch),
            Ready(ds, "n1", Current, "m-middle", Epoch.AddMinutes(1)));

        Assert.Equal(["a-newest", "m-middle"], Deleted(plan));
        Assert.All(plan.Deletions, d => Assert.Equal(DeletionReason.Duplicate, d.Reason));
        Assert.Empty(plan.NodesNeedingPods);
    }

    [Fact]
    public void Plan_DuplicatesCreatedTogether_KeepsFirstByName()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1")], Ready(ds, "n1", Current, "b"), Ready(ds, "n1", Current, "a"), Ready(ds, "n1", Current, "c"));

        Assert.Equal(["b", "c"], Deleted(plan));
    }

    [Fact]
    public void Plan_DuplicateBesideTerminatingPod_TerminatingPodNotCounted()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1")],
            DaemonPod(ds, "n1", Current, "old-terminating", Epoch.AddMinutes(-5), terminating: true),
            Ready(ds, "n1", Current, "a"));

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void CompareOldestFirst_MixedPods_ScheduledThenOldestThenName()
    {
        var ds = DaemonSet();
        var unscheduledOldest = DaemonPod(ds, "", Current, "a", Epoch.AddHours(-1));
        var newer = DaemonPod(ds, "n1", Current, "a", Epoch.AddMinutes(1));
        var olderB = DaemonPod(ds, "n1", Current, "b", Epoch);
        var olderC = DaemonPod(ds, "n1", Current, "c", Epoch);
        var pods = new List<Pod> { unscheduledOldest, newer, olderC, olderB };

        pods.Sort(PodConditions.CompareOldestFirst);

        Assert.Equal([olderB, olderC, newer, unscheduledOldest], pods);
    }

    [Fact]
    public void Plan_TerminatingPodOnly_BlocksReplacement()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1")], DaemonPod(ds, "n1", Current, "a", terminating: true));

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_PodOnNodeThatNoLongerExists_IsDeleted()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1")], Ready(ds, "n1", Current, "a"), Ready(ds, "gone", Current, "b"),
            DaemonPod(ds, "gone", Current, "c", terminating: true));

        var deletion = Assert.Single(plan.Deletions);
        Assert.Equal("b", deletion.Pod.Metadata.Name);
        Assert.Equal(DeletionReason.NodeNoLongerEligible, deletion.Reason);
    }

    [Fact]
    public void Plan_UnscheduledPod_IsDeleted()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1")], Ready(ds, "n1", Current, "a"), DaemonPod(ds, "", Current, "stray"));

        Assert.Equal(["stray"], Deleted(plan));
    }

    [Fact]
    public void Plan_DaemonSetTerminating_DeletesEveryLivePodAndCreatesNothing()
    {
        var ds = DaemonSet();
        ds.Metadata.DeletionTimestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Epoch);

        var plan = Plan(ds, [Node("n1"), Node("n2"), Node("n3")],
            Ready(ds, "n1", Current, "a"), Ready(ds, "n2", Old, "b"), DaemonPod(ds, "n3", Current, "c", terminating: true),
            Ready(ds, "gone", Current, "d"));

        Assert.Empty(plan.NodesNeedingPods);
        Assert.Equal(["a", "b", "d"], Deleted(plan));
        Assert.All(plan.Deletions, d => Assert.Equal(DeletionReason.OwnerDeleted, d.Reason));
    }

    [Fact]
    public void Plan_RollingUpdateMaxUnavailableOne_DeletesOneAvailableOldPod()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1"), Node("n2"), Node("n3")],
            Ready(ds, "n1", Old, "a"), Ready(ds, "n2", Old, "b"), Ready(ds, "n3", Old, "c"));

        var deletion = Assert.Single(plan.Deletions);
        Assert.Equal(DeletionReason.Outdated, deletion.Reason);
        Assert.Equal("a", deletion.Pod.Metadata.Name);
        Assert.Empty(plan.NodesNeedingPods);
    }

    [Fact]
    public void Plan_RollingUpdateOldPodUnavailable_ReplacedFirstAndUsesTheBudget()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1"), Node("n2"), Node("n3")],
            Ready(ds, "n1", Old, "a"), DaemonPod(ds, "n2", Old, "b-unready"), Ready(ds, "n3", Old, "c"));

        Assert.Equal(["b-unready"], Deleted(plan));
    }

    [Fact]
    public void Plan_RollingUpdateSeveralOldPodsUnavailable_AllReplacedBeyondBudget()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1"), Node("n2"), Node("n3")],
            DaemonPod(ds, "n1", Old, "a"), DaemonPod(ds, "n2", Old, "b"), Ready(ds, "n3", Old, "c"));

        Assert.Equal(["a", "b"], Deleted(plan));
    }

    [Fact]
    public void Plan_RollingUpdateNewPodNotYetAvailable_WaitsForIt()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1"), Node("n2"), Node("n3")],
            DaemonPod(ds, "n1", Current, "a-starting"), Ready(ds, "n2", Old, "b"), Ready(ds, "n3", Old, "c"));

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_RollingUpdateNodeWhoseOldPodIsTerminating_CountsAsUnavailable()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1"), Node("n2"), Node("n3")],
            DaemonPod(ds, "n1", Old, "a", terminating: true), Ready(ds, "n2", Old, "b"), Ready(ds, "n3", Old, "c"));

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_RollingUpdateMinReadySecondsNotElapsed_NewPodCountsAsUnavailable()
    {
        var ds = DaemonSet();
        ds.Spec.MinReadySeconds = 30;
        var justReady = DaemonPod(ds, "n1", Current, "a", readySince: s_now.AddSeconds(-10));
        var longReady = DaemonPod(ds, "n2", Old, "b", readySince: s_now.AddSeconds(-60));

        Assert.True(Plan(ds, [Node("n1"), Node("n2")], justReady, longReady).IsEmpty);

        var later = DaemonSetPlanner.Plan(ds, [Node("n1"), Node("n2")], [justReady, longReady], Current, s_now.AddSeconds(20));
        Assert.Equal(["b"], Deleted(later));
    }

    [Theory]
    [InlineData("50%", 4, 2)]
    [InlineData("34%", 3, 2)]
    [InlineData("1%", 4, 1)]
    [InlineData("100%", 3, 3)]
    public void Plan_RollingUpdatePercentMaxUnavailable_RoundsUp(string percent, int nodeCount, int expectedDeletions)
    {
        var ds = DaemonSet().WithMaxUnavailable(Percent(percent));
        var nodes = Enumerable.Range(1, nodeCount).Select(i => Node($"n{i}")).ToList();
        var pods = nodes.Select(n => Ready(ds, n.Metadata.Name, Old, "p-" + n.Metadata.Name)).ToArray();

        var plan = Plan(ds, nodes, pods);

        Assert.Equal(expectedDeletions, plan.Deletions.Count);
        Assert.All(plan.Deletions, d => Assert.Equal(DeletionReason.Outdated, d.Reason));
    }

    [Fact]
    public void Plan_RollingUpdateIntMaxUnavailableTwo_DeletesTwo()
    {
        var ds = DaemonSet().WithMaxUnavailable(Int(2));

        var plan = Plan(ds, [Node("n1"), Node("n2"), Node("n3")],
            Ready(ds, "n1", Old, "a"), Ready(ds, "n2", Old, "b"), Ready(ds, "n3", Old, "c"));

        Assert.Equal(["a", "b"], Deleted(plan));
    }

    [Fact]
    public void Plan_RollingUpdateAllCurrent_IsEmpty()
    {
        var ds = DaemonSet().WithMaxUnavailable(Int(3));

        Assert.True(Plan(ds, [Node("n1"), Node("n2")], Ready(ds, "n1", Current, "a"), Ready(ds, "n2", Current, "b")).IsEmpty);
    }

    [Fact]
    public void Plan_OnDelete_LeavesOldPodsAndStillCreatesWithCurrentTemplate()
    {
        var ds = DaemonSet().WithOnDelete();

        var plan = Plan(ds, [Node("n1"), Node("n2"), Node("n3")], Ready(ds, "n1", Old, "a"), DaemonPod(ds, "n2", Old, "b-unready"));

        Assert.Empty(plan.Deletions);
        Assert.Equal(["n3"], plan.NodesNeedingPods);
    }

    [Fact]
    public void Plan_PodWithoutHashLabel_IsOutdated()
    {
        var ds = DaemonSet();
        var pod = Ready(ds, "n1", Current, "a");
        pod.Metadata.Labels.Remove(PodFactory.RevisionHashLabel);

        Assert.Equal(DeletionReason.Outdated, Assert.Single(Plan(ds, [Node("n1")], pod).Deletions).Reason);
    }

    [Fact]
    public void Plan_RollingUpdateNodeAwaitingItsNewPod_CountsAsUnavailable()
    {
        // Mid-rollout: n1's old pod was deleted last sync and is now gone, so n1 gets its new pod in this sync.
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1"), Node("n2"), Node("n3")], Ready(ds, "n2", Old, "b"), Ready(ds, "n3", Old, "c"));

        Assert.Equal(["n1"], plan.NodesNeedingPods);
        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void Plan_RollingUpdateWithMaxSurge_MakesProgress()
    {
        var ds = DaemonSet().WithMaxUnavailable(Int(0));
        ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge = Int(1);

        var plan = Plan(ds, [Node("n1"), Node("n2")], Ready(ds, "n1", Old, "a"), Ready(ds, "n2", Old, "b"));

        // Kubernetes (1.6, maxSurge > 0) creates the new pod on one candidate node while the old one keeps running.
        Assert.False(plan.IsEmpty);
    }

    [Fact]
    public void Plan_FailedPod_IsDeletedSoItCanBeReplaced()
    {
        var ds = DaemonSet();

        var plan = Plan(ds, [Node("n1")], DaemonPod(ds, "n1", Current, "a", phase: "Failed"));

        Assert.Equal(["a"], Deleted(plan));
    }
    [Fact]
    public void Plan_NoExecuteToleratedForSeconds_KeepsThePodAndRechecksAtTheEnd()
    {
        var ds = DaemonSet().WithTolerations(PlacementTests.WithSeconds(Toleration("dedicated", "Exists", "", "NoExecute"), 60));
        var node = Node("n1", null, PlacementTests.Added(Taint("dedicated", "NoExecute"), s_now.AddSeconds(-10)));

        var plan = Plan(ds, [node], Ready(ds, "n1", Current, "a"));

        Assert.True(plan.IsEmpty);
        Assert.Equal(s_now.AddSeconds(50), plan.RecheckAt);
    }

    [Fact]
    public void Plan_PodAffinityContext_CreatesOnlyNextToTheMatchingPod()
    {
        var ds = DaemonSet().WithPodAffinity(PodTerm("app=web", "kubernetes.io/hostname"));
        var nodes = new[] { Node("n1", Labels("kubernetes.io/hostname=n1")), Node("n2", Labels("kubernetes.io/hostname=n2")) };
        var web = Pod("web-1", "n2").WithLabels("app=web");

        var plan = DaemonSetPlanner.Plan(ds, new PlacementContext(nodes, () => [web], s_now), [], Current);

        Assert.Equal(["n2"], plan.NodesNeedingPods);
    }
}
