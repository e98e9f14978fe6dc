using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>Each source of pods decides alone about the containers that came from it.</summary>
public sealed class StaticPodPlanningTests
{
    private readonly RestartTracker _restarts = new(new FakeTimeProvider(AgentHarness.Epoch));

    [Fact]
    public void Plan_StaticOrphanBeforeManifestsListed_NotStopped()
    {
        var plan = PodPlanner.Plan([], [StaticOrphan("s1")], new SourceAuthority(Assigned: true, Static: false), _restarts);

        Assert.Empty(plan.Work);
    }

    [Fact]
    public void Plan_DaemonOrphanBeforeAssignmentsKnown_NotStoppedWhileStaticOrphanIs()
    {
        var daemon = TestPods.Orphan("d1");
        var stat = StaticOrphan("s1", grace: "3");

        var plan = PodPlanner.Plan([], [daemon, stat], new SourceAuthority(Assigned: false, Static: true), _restarts);

        var work = Assert.Single(plan.Work);
        Assert.Equal("s1", work.PodUid);
        var stop = Assert.IsType<StopContainerCommand>(Assert.Single(work.Commands));
        Assert.Same(stat, stop.Instance);
        Assert.Equal(TimeSpan.FromSeconds(3), stop.GracePeriod);
        Assert.Equal("its static pod manifest is gone", stop.Reason);
    }

    [Fact]
    public void Plan_BothSourcesKnown_EveryOrphanStopped()
    {
        var plan = PodPlanner.Plan([], [TestPods.Orphan("d1"), StaticOrphan("s1")], new SourceAuthority(Assigned: true, Static: true), _restarts);

        Assert.Equal(["d1", "s1"], plan.Work.Select(w => w.PodUid).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Plan_BoolOverload_GovernsBothSources()
    {
        var plan = PodPlanner.Plan([], [TestPods.Orphan("d1"), StaticOrphan("s1")], authoritative: false, _restarts);

        Assert.Empty(plan.Work);
    }

    private static RuntimeContainer StaticOrphan(string uid, string grace = "30")
    {
        var orphan = TestPods.Orphan(uid, podName: "monitor-node-a", gracePeriodSeconds: grace);
        return orphan with { Labels = new Dictionary<string, string>(orphan.Labels, StringComparer.Ordinal) { [ContainerLabels.Owner] = "static" } };
    }
}
