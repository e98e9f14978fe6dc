using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class RolloutStallTests
{
    private const string Current = "newhash";
    private const string Old = "oldhash";

    private static Pod Failing(DaemonSet ds, string node, string reason)
    {
        var pod = DaemonPod(ds, node, Current, "new-" + node);
        pod.Status.ContainerStatuses.Add(new ContainerStatus { Name = "main", State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = reason } } });
        return pod;
    }

    private static Pod OldPod(DaemonSet ds, string node) => DaemonPod(ds, node, Old, "old-" + node, readySince: Epoch);

    [Fact]
    public void Find_FailingNewPodsFillMaxUnavailable_SaysWhereAndWhy()
    {
        var ds = DaemonSet();

        var stall = RolloutStall.Find(ds, [Failing(ds, "n1", "ErrImageNeverPull"), OldPod(ds, "n2"), OldPod(ds, "n3")], Current, desired: 3);

        Assert.Equal("rolling update stalled at maxUnavailable=1: updated pods are failing on 1 node: n1 (ErrImageNeverPull); 2 nodes still on an old revision", stall);
    }

    [Fact]
    public void Find_NewPodStillStarting_IsNoStall()
    {
        var ds = DaemonSet();

        Assert.Null(RolloutStall.Find(ds, [Failing(ds, "n1", "ContainerCreating"), OldPod(ds, "n2")], Current, desired: 2));
    }

    [Fact]
    public void Find_BudgetNotUsedUp_IsNoStall()
    {
        var ds = DaemonSet().WithMaxUnavailable(Int(2));

        Assert.Null(RolloutStall.Find(ds, [Failing(ds, "n1", "CrashLoopBackOff"), OldPod(ds, "n2"), OldPod(ds, "n3")], Current, desired: 3));
    }

    [Fact]
    public void Find_NoOldPodLeft_OrOnDelete_IsNoStall()
    {
        var ds = DaemonSet();

        Assert.Null(RolloutStall.Find(ds, [Failing(ds, "n1", "ImagePullBackOff")], Current, desired: 1));
        var onDelete = DaemonSet().WithOnDelete();
        Assert.Null(RolloutStall.Find(onDelete, [Failing(onDelete, "n1", "ImagePullBackOff"), OldPod(onDelete, "n2")], Current, desired: 2));
    }

    [Fact]
    public void Find_Surge_CountsAgainstMaxSurge()
    {
        var ds = DaemonSet().WithMaxUnavailable(Int(0));
        ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge = Int(1);

        var stall = RolloutStall.Find(ds, [OldPod(ds, "n1"), Failing(ds, "n1", "ErrImagePull"), OldPod(ds, "n2")], Current, desired: 2);

        Assert.StartsWith("rolling update stalled at maxSurge=1: updated pods are failing on 1 node: n1 (ErrImagePull); 2 nodes", stall);
    }
}
