using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.StaticPods;
using HostDaemons.Agent.Tests.StaticPods;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>The reconciler runs static pods beside the assigned ones, over the in-memory engine.</summary>
public sealed class StaticPodReconcileTests : IDisposable
{
    private readonly TempDirectory _stateDir = new("hd-agent-state");
    private readonly AgentHarness _agent;

    public StaticPodReconcileTests()
    {
        _agent = AgentHarness.Create(_stateDir);
        _agent.Runtime.AddLocalImage("busybox:latest");
        _agent.Runtime.AddLocalImage(TestPods.Image);
    }

    public void Dispose()
    {
        _agent.Dispose();
        _stateDir.Dispose();
    }

    private static Pod Static(string name = "monitor") =>
        StaticPodManifest.Parse($"/m/{name}.yaml", StaticPodDirectoryTests.Manifest(name), TestPods.Node, AgentHarness.Epoch).Pod!;

    [Fact]
    public async Task ReconcileOnce_StaticPodWithoutAnyAssignments_RunsOwnedByStatic()
    {
        var pod = Static();
        _agent.StaticPods.Replace([pod], []);

        await _agent.PassAsync();

        var container = Assert.Single(_agent.Runtime.Containers);
        Assert.Equal(ContainerRunState.Running, container.State);
        Assert.Equal("static", container.Labels[ContainerLabels.Owner]);
        Assert.Equal("monitor-node-a", container.Labels[ContainerLabels.Pod]);
        Assert.Equal(pod.Metadata.Uid, container.Labels[ContainerLabels.PodUid]);
        Assert.Equal("3", container.Labels[ContainerLabels.GracePeriod]);
    }

    [Fact]
    public async Task ReconcileOnce_StaticPod_StatusOffered()
    {
        var pod = Static();
        _agent.StaticPods.Replace([pod], []);

        await _agent.PassAsync();
        await _agent.PassAsync();

        var report = await _agent.TakeReportAsync(pod.Metadata.Uid);
        Assert.Equal("monitor-node-a", report.Pod.Name);
        Assert.Equal("default", report.Pod.Namespace);
        Assert.Equal("Running", report.Status.Phase);
    }

    [Fact]
    public async Task ReconcileOnce_NodeDeletedAssignmentsCleared_StaticPodKeepsRunning()
    {
        _agent.Assigned.ReplaceAll([TestPods.Pod()], 1);
        _agent.StaticPods.Replace([Static()], []);
        await _agent.PassAsync();
        Assert.Equal(2, _agent.Runtime.Containers.Count(c => c.State == ContainerRunState.Running));
        var staticId = Assert.Single(_agent.Runtime.Containers, c => c.Labels[ContainerLabels.Owner] == "static").Id;

        _agent.Assigned.ReplaceAll([], 0);
        await _agent.PassAsync();

        var left = Assert.Single(_agent.Runtime.Containers);
        Assert.Equal(staticId, left.Id);
        Assert.Equal(ContainerRunState.Running, left.State);
    }

    [Fact]
    public async Task ReconcileOnce_StaticPodRemoved_StoppedWithItsGracePeriodAndRemoved()
    {
        _agent.StaticPods.Replace([Static()], []);
        await _agent.PassAsync();
        var id = Assert.Single(_agent.Runtime.Containers).Id;
        _agent.Runtime.ClearCalls();

        _agent.StaticPods.Replace([], []);
        await _agent.PassAsync();

        Assert.Empty(_agent.Runtime.Containers);
        Assert.Equal([new RuntimeCall(RuntimeCall.Stop, id, TimeSpan.FromSeconds(3)), new RuntimeCall(RuntimeCall.Remove, id)], _agent.Runtime.Changes);
    }

    [Fact]
    public async Task ReconcileOnce_AgentRestarted_StaticContainerAdoptedWithoutChange()
    {
        var pod = Static();
        _agent.StaticPods.Replace([pod], []);
        await _agent.PassAsync();
        var id = Assert.Single(_agent.Runtime.Containers).Id;
        _agent.Runtime.ClearCalls();

        using var restarted = _agent.Restart();
        restarted.StaticPods.Replace([StaticPodManifest.Parse("/m/renamed.yaml", StaticPodDirectoryTests.Manifest("monitor"), TestPods.Node, AgentHarness.Epoch.AddHours(1)).Pod!], []);
        await restarted.PassAsync();

        Assert.Equal(id, Assert.Single(_agent.Runtime.Containers).Id);
        Assert.Empty(_agent.Runtime.Changes);
    }

    [Fact]
    public async Task ReconcileOnce_MirrorPodAmongAssignments_RunsTheStaticPodOnly()
    {
        var pod = Static();
        var mirror = pod.Clone();
        mirror.Metadata.Uid = "mirror-uid";
        mirror.Metadata.Annotations["kubernetes.io/config.mirror"] = pod.Metadata.Uid;
        mirror.Metadata.OwnerReferences.Add(new OwnerReference { ApiVersion = "v1", Kind = "Node", Name = TestPods.Node, Uid = "node-uid", Controller = true });
        _agent.Assigned.ReplaceAll([mirror], 1);
        _agent.StaticPods.Replace([pod], []);

        await _agent.PassAsync();

        Assert.Equal(pod.Metadata.Uid, Assert.Single(_agent.Runtime.Containers).Labels[ContainerLabels.PodUid]);
    }

    [Fact]
    public async Task ReconcileOnce_StaticAndAssignedShareUid_StaticWins()
    {
        var pod = Static();
        var assigned = TestPods.Pod(uid: pod.Metadata.Uid);
        _agent.Assigned.ReplaceAll([assigned], 1);
        _agent.StaticPods.Replace([pod], []);

        await _agent.PassAsync();

        Assert.Equal("static", Assert.Single(_agent.Runtime.Containers).Labels[ContainerLabels.Owner]);
    }
}
