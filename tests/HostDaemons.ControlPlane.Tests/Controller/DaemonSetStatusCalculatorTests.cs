using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class DaemonSetStatusCalculatorTests
{
    private const string Current = "newhash";
    private const string Old = "oldhash";

    private static readonly DateTimeOffset s_now = Epoch.AddHours(1);

    private static DaemonSetStatus Calculate(DaemonSet ds, IReadOnlyCollection<Node> nodes, params Pod[] pods) =>
        DaemonSetStatusCalculator.Calculate(ds, nodes, pods, Current, s_now);

    private static Pod Ready(DaemonSet ds, string node, string hash, string name, DateTimeOffset? created = null) =>
        DaemonPod(ds, node, hash, name, created, readySince: Epoch);

    [Fact]
    public void Calculate_NoNodes_AllZero()
    {
        var status = Calculate(DaemonSet(), []);

        Assert.Equal(0, status.DesiredNumberScheduled);
        Assert.Equal(0, status.CurrentNumberScheduled);
        Assert.Equal(0, status.NumberMisscheduled);
        Assert.Equal(0, status.NumberReady);
        Assert.Equal(0, status.NumberAvailable);
        Assert.Equal(0, status.UpdatedNumberScheduled);
        Assert.Equal(0, status.NumberUnavailable);

        // Zero counts are present, so they print as 0 rather than being omitted.
        Assert.True(status.HasDesiredNumberScheduled);
        Assert.True(status.HasCurrentNumberScheduled);
        Assert.True(status.HasNumberMisscheduled);
        Assert.True(status.HasNumberReady);
    }

    [Fact]
    public void Calculate_Desired_CountsNodesThatShouldRun()
    {
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd"));
        var nodes = new[]
        {
            Node("n1", Labels("disk=ssd")),
            Node("n2", Labels("disk=ssd")),
            Node("n3", Labels("disk=hdd")),
            Node("n4", Labels("disk=ssd"), Taint("maint", "NoSchedule")),
        };

        var status = Calculate(ds, nodes);

        Assert.Equal(2, status.DesiredNumberScheduled);
        Assert.Equal(0, status.CurrentNumberScheduled);
        Assert.Equal(2, status.NumberUnavailable);
    }

    [Fact]
    public void Calculate_Current_CountsScheduledEligibleNodesOnceWhateverThePodState()
    {
        var ds = DaemonSet();
        var nodes = new[] { Node("n1"), Node("n2"), Node("n3"), Node("n4") };

        var status = Calculate(ds, nodes,
            Ready(ds, "n1", Current, "a"),
            Ready(ds, "n1", Current, "a-duplicate"),
            DaemonPod(ds, "n2", Current, "b-pending"),
            DaemonPod(ds, "n3", Current, "c-terminating", terminating: true));

        Assert.Equal(4, status.DesiredNumberScheduled);
        Assert.Equal(3, status.CurrentNumberScheduled);
        Assert.Equal(0, status.NumberMisscheduled);
    }

    [Fact]
    public void Calculate_TerminalAndTerminatingPod_IsNotCounted()
    {
        var ds = DaemonSet();

        var status = Calculate(ds, [Node("n1")], DaemonPod(ds, "n1", Current, "a", terminating: true, phase: "Failed"));

        Assert.Equal(0, status.CurrentNumberScheduled);
    }

    [Fact]
    public void Calculate_Misscheduled_CountsPodsOnNodesThatShouldNotRunIncludingNoScheduleTainted()
    {
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd"));
        var nodes = new[]
        {
            Node("n1", Labels("disk=ssd")),
            Node("n2", Labels("disk=hdd")),
            Node("n3", Labels("disk=ssd"), Taint("maint", "NoSchedule")),
        };

        var status = Calculate(ds, nodes, Ready(ds, "n1", Current, "a"), Ready(ds, "n2", Current, "b"), Ready(ds, "n3", Current, "c"));

        Assert.Equal(1, status.DesiredNumberScheduled);
        Assert.Equal(1, status.CurrentNumberScheduled);
        Assert.Equal(2, status.NumberMisscheduled);
        Assert.Equal(1, status.NumberReady);
        Assert.Equal(1, status.NumberAvailable);
        Assert.Equal(1, status.UpdatedNumberScheduled);
        Assert.Equal(0, status.NumberUnavailable);
    }

    [Fact]
    public void Calculate_PodsOnUnknownNodes_AreNotCounted()
    {
        var ds = DaemonSet();

        var status = Calculate(ds, [Node("n1")], Ready(ds, "gone", Current, "a"));

        Assert.Equal(1, status.DesiredNumberScheduled);
        Assert.Equal(0, status.CurrentNumberScheduled);
        Assert.Equal(0, status.NumberMisscheduled);
    }

    [Fact]
    public void Calculate_Ready_LooksAtTheOldestPodOnly()
    {
        var ds = DaemonSet();
        var nodes = new[] { Node("n1"), Node("n2") };

        var status = Calculate(ds, nodes,
            DaemonPod(ds, "n1", Current, "a-old-unready", Epoch),
            Ready(ds, "n1", Current, "a-new-ready", Epoch.AddMinutes(1)),
            Ready(ds, "n2", Current, "b-old-ready", Epoch),
            DaemonPod(ds, "n2", Current, "b-new-unready", Epoch.AddMinutes(1)));

        Assert.Equal(2, status.CurrentNumberScheduled);
        Assert.Equal(1, status.NumberReady);
        Assert.Equal(1, status.NumberAvailable);
        Assert.Equal(1, status.NumberUnavailable);
    }

    [Fact]
    public void Calculate_ReadyConditionFalse_IsNotReady()
    {
        var ds = DaemonSet();
        var pod = Ready(ds, "n1", Current, "a");
        pod.Status.Conditions[0].Status = "False";

        var status = Calculate(ds, [Node("n1")], pod);

        Assert.Equal(0, status.NumberReady);
        Assert.Equal(1, status.NumberUnavailable);
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(10, 5, false)]
    [InlineData(10, 10, true)]
    [InlineData(10, 11, true)]
    public void Calculate_Available_NeedsReadyForMinReadySeconds(int minReadySeconds, int readyForSeconds, bool available)
    {
        var ds = DaemonSet();
        ds.Spec.MinReadySeconds = minReadySeconds;
        var pod = DaemonPod(ds, "n1", Current, "a", readySince: s_now.AddSeconds(-readyForSeconds));

        var status = Calculate(ds, [Node("n1")], pod);

        Assert.Equal(1, status.NumberReady);
        Assert.Equal(available ? 1 : 0, status.NumberAvailable);
        Assert.Equal(available ? 0 : 1, status.NumberUnavailable);
    }

    [Fact]
    public void Calculate_AvailableWithoutTransitionTime_IsNotAvailableWhenMinReadySecondsSet()
    {
        var ds = DaemonSet();
        ds.Spec.MinReadySeconds = 5;
        var pod = Ready(ds, "n1", Current, "a");
        pod.Status.Conditions[0].LastTransitionTime = null;

        var status = Calculate(ds, [Node("n1")], pod);

        Assert.Equal(1, status.NumberReady);
        Assert.Equal(0, status.NumberAvailable);
    }

    [Fact]
    public void Calculate_Updated_UsesTheHashOfTheOldestPod()
    {
        var ds = DaemonSet();
        var nodes = new[] { Node("n1"), Node("n2"), Node("n3") };

        var status = Calculate(ds, nodes,
            Ready(ds, "n1", Old, "a-old", Epoch),
            Ready(ds, "n1", Current, "a-new", Epoch.AddMinutes(1)),
            Ready(ds, "n2", Current, "b-new", Epoch),
            DaemonPod(ds, "n3", Current, "c-new-unready", Epoch));

        Assert.Equal(2, status.UpdatedNumberScheduled);
    }

    [Fact]
    public void Calculate_Unavailable_IsDesiredMinusAvailable()
    {
        var ds = DaemonSet();
        var nodes = new[] { Node("n1"), Node("n2"), Node("n3"), Node("n4") };

        var status = Calculate(ds, nodes, Ready(ds, "n1", Current, "a"), DaemonPod(ds, "n2", Current, "b"));

        Assert.Equal(4, status.DesiredNumberScheduled);
        Assert.Equal(1, status.NumberAvailable);
        Assert.Equal(3, status.NumberUnavailable);
    }

    [Fact]
    public void Calculate_ObservedGeneration_IsTheDaemonSetsGeneration()
    {
        var ds = DaemonSet();
        ds.Metadata.Generation = 7;
        ds.Status = new DaemonSetStatus { ObservedGeneration = 3 };

        Assert.Equal(7, Calculate(ds, [Node("n1")]).ObservedGeneration);
    }

    [Fact]
    public void Calculate_CollisionCount_IsCarriedOver()
    {
        var ds = DaemonSet();
        Assert.False(Calculate(ds, []).HasCollisionCount);

        ds.Status = new DaemonSetStatus { CollisionCount = 2 };
        Assert.Equal(2, Calculate(ds, []).CollisionCount);
    }
}
