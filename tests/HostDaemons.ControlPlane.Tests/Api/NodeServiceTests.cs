using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;
using NodeServiceImpl = HostDaemons.ControlPlane.Api.NodeService;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class NodeServiceTests : IAsyncLifetime
{
    private readonly StoreHarness _store = new();
    private readonly FakeHostApplicationLifetime _lifetime = new();
    private readonly NodeLeases _leases;
    private readonly NodeAssignmentHub _hub;
    private readonly NodeServiceImpl _service;

    public NodeServiceTests()
    {
        var options = Options.Create(new ControlPlaneOptions());
        _leases = new NodeLeases(_store.Store, _store.Time, options, _lifetime, NullLogger<NodeLeases>.Instance);
        _hub = new NodeAssignmentHub(_store.Store, _lifetime, NullLogger<NodeAssignmentHub>.Instance);
        _service = new NodeServiceImpl(_store.Store, new HeaderNodeIdentity(), _leases, _hub, new AgentTunnels(), new EventRecorder(_store.Store, _store.Time), new StreamingCalls(_lifetime),
            _store.Time, options, NullLogger<NodeServiceImpl>.Instance);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TestServerCallContext As(string node) => TestServerCallContext.Create((HeaderNodeIdentity.HeaderName, node));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _leases.Dispose();
        _hub.Dispose();
        await _store.DisposeAsync();
        _lifetime.Dispose();
    }

    private async Task<Pod> CreatePodAsync(string name, string node, bool terminating = false)
    {
        var pod = Pod(name, node);
        if (terminating)
        {
            pod.Metadata.DeletionTimestamp = Timestamp.FromDateTimeOffset(Epoch);
            pod.Metadata.DeletionGracePeriodSeconds = 30;
        }

        return await _store.Store.CreateAsync(pod, Token).DefaultTimeout();
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

        var response = await _service.Register(request, As("worker-1")).DefaultTimeout();

        Assert.Equal(10, response.HeartbeatIntervalSeconds);
        var node = _store.Store.Get<Node>("", "worker-1");
        Assert.NotNull(node);
        Assert.Equal(response.Node, node);
        Assert.Equal("ssd", node.Metadata.Labels["disk"]);
        Assert.Equal("amd64", node.Status.NodeInfo.Architecture);
        Assert.Equal("10.0.0.5", Assert.Single(node.Status.Addresses).Address);
        Assert.True(NodeConditions.IsReady(node));
        Assert.True(_leases.IsFresh("worker-1"));
    }

    [Fact]
    public async Task Register_Again_KeepsTheNodeAndUpdatesItsInfo()
    {
        var first = (await _service.Register(new RegisterRequest { Labels = { ["disk"] = "ssd" } }, As("worker-1")).DefaultTimeout()).Node;

        var second = await _service.Register(new RegisterRequest
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
        var ex = await Assert.ThrowsAsync<RpcException>(() => _service.Register(new RegisterRequest(), TestServerCallContext.Create()));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task Register_InvalidNodeName_InvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _service.Register(new RegisterRequest(), As("Not_A_Name")));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Null(_store.Store.Get<Node>("", "Not_A_Name"));
    }

    [Fact]
    public async Task Heartbeat_UnknownNode_NotRegistered()
    {
        var unknown = await _service.Heartbeat(new HeartbeatRequest(), As("worker-1")).DefaultTimeout();
        await _service.Register(new RegisterRequest(), As("worker-1")).DefaultTimeout();
        var known = await _service.Heartbeat(new HeartbeatRequest(), As("worker-1")).DefaultTimeout();

        Assert.False(unknown.Registered);
        Assert.True(known.Registered);
    }

    [Fact]
    public async Task ReportPodStatus_OwnPod_StatusIsStored()
    {
        var pod = await CreatePodAsync("p", "worker-1");

        await _service.ReportPodStatus(new ReportPodStatusRequest { Reports = { Report(pod) } }, As("worker-1")).DefaultTimeout();

        Assert.Equal("Running", _store.Store.Get<Pod>("default", "p")!.Status.Phase);
    }

    [Fact]
    public async Task ReportPodStatus_OtherNodesPodOrStaleUid_IsIgnored()
    {
        var theirs = await CreatePodAsync("theirs", "worker-2");
        var mine = await CreatePodAsync("mine", "worker-1");
        var stale = Report(mine);
        stale.Pod.Uid = "an-earlier-pod";
        var revision = _store.Store.Revision;

        await _service.ReportPodStatus(new ReportPodStatusRequest { Reports = { Report(theirs, terminated: true), stale } }, As("worker-1"))
            .DefaultTimeout();

        Assert.Equal(revision, _store.Store.Revision);
        Assert.Equal("Pending", _store.Store.Get<Pod>("default", "theirs")!.Status.Phase);
    }

    [Fact]
    public async Task ReportPodStatus_TerminatedAfterDeletionWasRequested_RemovesThePod()
    {
        var terminating = await CreatePodAsync("going", "worker-1", terminating: true);
        var running = await CreatePodAsync("staying", "worker-1");

        await _service.ReportPodStatus(new ReportPodStatusRequest
        {
            Reports = { Report(terminating, terminated: true), Report(running, phase: "Running", terminated: true) },
        }, As("worker-1")).DefaultTimeout();

        Assert.Null(_store.Store.Get<Pod>("default", "going"));
        var stayed = _store.Store.Get<Pod>("default", "staying");
        Assert.NotNull(stayed);
        Assert.False(stayed.IsTerminating());
    }
}
