using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.NodeServiceHarness;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class NodeServiceTests : IAsyncLifetime
{
    private readonly NodeServiceHarness _api = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private async Task<Pod> CreatePodAsync(string name, string node, bool terminating = false)
    {
        var pod = Pod(name, node);
        if (terminating)
        {
            pod.Metadata.DeletionTimestamp = Timestamp.FromDateTimeOffset(Epoch);
            pod.Metadata.DeletionGracePeriodSeconds = 30;
        }

        return await _api.Store.CreateAsync(pod, Token).DefaultTimeout();
    }

    private static PodStatusReport Report(Pod pod, string phase = "Running", bool terminated = false) => new()
    {
        Pod = new PodKey { Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
        Status = new PodStatus { Phase = phase },
        Terminated = terminated,
    };

    [Fact]
    public async Task Register_NewNode_CreatesAReadyNodeWithItsLabelsAndInfo()
    {
        var request = new RegisterRequest
        {
            Labels = { ["disk"] = "ssd" },
            NodeInfo = new NodeSystemInfo { Architecture = "amd64", OperatingSystem = "linux" },
            Addresses = { new NodeAddress { Type = "InternalIP", Address = "10.0.0.5" } },
        };

        var response = await _api.Service.Register(request, As("worker-1")).DefaultTimeout();

        Assert.Equal(10, response.HeartbeatIntervalSeconds);
        var node = _api.Store.Get<Node>("", "worker-1");
        Assert.NotNull(node);
        Assert.Equal(response.Node, node);
        Assert.Equal("ssd", node.Metadata.Labels["disk"]);
        Assert.Equal("amd64", node.Status.NodeInfo.Architecture);
        Assert.Equal("10.0.0.5", Assert.Single(node.Status.Addresses).Address);
        Assert.True(NodeConditions.IsReady(node));
        Assert.True(_api.Leases.IsFresh("worker-1"));
    }

    [Fact]
    public async Task Register_Again_KeepsTheNodeAndUpdatesItsInfo()
    {
        var first = (await _api.Service.Register(new RegisterRequest { Labels = { ["disk"] = "ssd" } }, As("worker-1")).DefaultTimeout()).Node;

        var second = await _api.Service.Register(new RegisterRequest
        {
            Labels = { ["disk"] = "hdd" },
            NodeInfo = new NodeSystemInfo { KernelVersion = "6.8" },
        }, As("worker-1")).DefaultTimeout();

        Assert.Equal(first.Metadata.Uid, second.Node.Metadata.Uid);
        Assert.Equal("6.8", second.Node.Status.NodeInfo.KernelVersion);

        // Labels belong to the admin once the node exists (hdctl label): a re-registration does not reset them.
        Assert.Equal("ssd", second.Node.Metadata.Labels["disk"]);
    }

    [Fact]
    public async Task Register_WithoutIdentity_Unauthenticated()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _api.Service.Register(new RegisterRequest(), TestServerCallContext.Create()));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task Register_InvalidNodeName_InvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _api.Service.Register(new RegisterRequest(), As("Not_A_Name")));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Null(_api.Store.Get<Node>("", "Not_A_Name"));
    }

    [Fact]
    public async Task Heartbeat_UnknownNode_NotRegistered()
    {
        var unknown = await _api.Service.Heartbeat(new HeartbeatRequest(), As("worker-1")).DefaultTimeout();
        await _api.Service.Register(new RegisterRequest(), As("worker-1")).DefaultTimeout();
        var known = await _api.Service.Heartbeat(new HeartbeatRequest(), As("worker-1")).DefaultTimeout();

        Assert.False(unknown.Registered);
        Assert.True(known.Registered);
    }

    [Fact]
    public async Task Heartbeat_NodeNotReady_AsksForStatusAgain()
    {
        await _api.Service.Register(new RegisterRequest(), As("worker-1")).DefaultTimeout();
        var ready = await _api.Service.Heartbeat(new HeartbeatRequest(), As("worker-1")).DefaultTimeout();
        await _api.Store.MutateAsync<Node>("", "worker-1", n =>
            NodeConditions.SetReady(n, "Unknown", "NodeStatusUnknown", "Agent stopped posting node status.", Timestamp.FromDateTimeOffset(Epoch)), Token).DefaultTimeout();

        var notReady = await _api.Service.Heartbeat(new HeartbeatRequest(), As("worker-1")).DefaultTimeout();

        Assert.False(ready.ResendStatus);
        Assert.True(notReady.ResendStatus);
    }

    [Fact]
    public async Task ReportPodStatus_OwnPod_StatusIsStored()
    {
        var pod = await CreatePodAsync("p", "worker-1");

        await _api.Service.ReportPodStatus(new ReportPodStatusRequest { Reports = { Report(pod) } }, As("worker-1")).DefaultTimeout();

        Assert.Equal("Running", _api.Store.Get<Pod>("default", "p")!.Status.Phase);
    }

    [Fact]
    public async Task ReportPodStatus_OtherNodesPodOrStaleUid_IsIgnored()
    {
        var theirs = await CreatePodAsync("theirs", "worker-2");
        var mine = await CreatePodAsync("mine", "worker-1");
        var stale = Report(mine);
        stale.Pod.Uid = "an-earlier-pod";
        var revision = _api.Store.Revision;

        await _api.Service.ReportPodStatus(new ReportPodStatusRequest { Reports = { Report(theirs, terminated: true), stale } }, As("worker-1"))
            .DefaultTimeout();

        Assert.Equal(revision, _api.Store.Revision);
        Assert.Equal("Pending", _api.Store.Get<Pod>("default", "theirs")!.Status.Phase);
    }

    [Fact]
    public async Task ReportPodStatus_TerminatedAfterDeletionWasRequested_RemovesThePod()
    {
        var terminating = await CreatePodAsync("going", "worker-1", terminating: true);
        var running = await CreatePodAsync("staying", "worker-1");

        await _api.Service.ReportPodStatus(new ReportPodStatusRequest
        {
            Reports = { Report(terminating, terminated: true), Report(running, phase: "Running", terminated: true) },
        }, As("worker-1")).DefaultTimeout();

        Assert.Null(_api.Store.Get<Pod>("default", "going"));
        var stayed = _api.Store.Get<Pod>("default", "staying");
        Assert.NotNull(stayed);
        Assert.False(stayed.IsTerminating());
    }
}
