using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class PlacementTriggersTests
{
    private static string Names(IEnumerable<DaemonSet> daemonSets) => string.Join(",", daemonSets.Select(d => d.Metadata.Name));

    [Fact]
    public void ForNodeChange_LabelChangeMovesOnlyTheSetsWhoseDecisionChanged()
    {
        DaemonSet[] sets = [DaemonSet("ssd", nodeSelector: Labels("disk=ssd")), DaemonSet("hdd", nodeSelector: Labels("disk=hdd")), DaemonSet("all")];

        var moved = PlacementTriggers.ForNodeChange(sets, Node("n1", Labels("disk=ssd")), Node("n1", Labels("disk=nvme")), Epoch);

        Assert.Equal("ssd", Names(moved));
    }

    [Theory]
    [InlineData("NoSchedule")]
    [InlineData("NoExecute")]
    public void ForNodeChange_UntoleratedTaintAdded_MovesTheSet(string effect)
    {
        var moved = PlacementTriggers.ForNodeChange([DaemonSet()], Node("n1"), Node("n1", null, Taint("x", effect)), Epoch);

        Assert.Equal("agent", Names(moved));
    }

    [Fact]
    public void ForNodeChange_PodAffinityOrMisscheduled_AlwaysMoved()
    {
        var affinity = DaemonSet("follower").WithPodAffinity(PodTerm("app=web", "zone"));
        var misscheduled = DaemonSet("kept");
        misscheduled.Status = new DaemonSetStatus { NumberMisscheduled = 1 };

        var moved = PlacementTriggers.ForNodeChange([affinity, misscheduled, DaemonSet("other")], Node("n1"), Node("n1", Labels("zone=a")), Epoch);

        Assert.Equal("follower,kept", Names(moved));
    }

    [Fact]
    public void ForPodChange_AddedOrDeletedMatchingPod_MovesSetsWhoseTermsSelectIt()
    {
        DaemonSet[] sets = [DaemonSet("follower").WithPodAffinity(PodTerm("app=web", "zone")), DaemonSet("avoider").WithPodAntiAffinity(PodTerm("app=web", "zone")), DaemonSet("other")];
        var pod = Pod("web-1", "n1").WithLabels("app=web");

        Assert.Equal("follower,avoider", Names(PlacementTriggers.ForPodChange(sets, null, pod)));
        Assert.Equal("follower,avoider", Names(PlacementTriggers.ForPodChange(sets, pod, null)));
        Assert.Equal("", Names(PlacementTriggers.ForPodChange(sets, null, Pod("db-1", "n1").WithLabels("app=db"))));
        Assert.Equal("", Names(PlacementTriggers.ForPodChange(sets, null, Pod("web-1", "n1", "other").WithLabels("app=web"))));
    }

    [Fact]
    public void ForPodChange_StatusOnly_MovesNothing_LabelChange_MovesBeforeAndAfter()
    {
        DaemonSet[] sets = [DaemonSet("follower").WithPodAffinity(PodTerm("app=web", "zone"))];
        var before = Pod("web-1", "n1").WithLabels("app=web");
        var running = before.Clone();
        running.Status.Phase = "Running";
        var relabelled = before.Clone();
        relabelled.Metadata.Labels["app"] = "db";

        Assert.Empty(PlacementTriggers.ForPodChange(sets, before, running));
        Assert.Equal("follower", Names(PlacementTriggers.ForPodChange(sets, before, relabelled)));
    }
}
