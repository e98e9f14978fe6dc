using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Nodes;

public sealed class NodeLeasesTests : IAsyncLifetime
{
    private readonly StoreHarness _store = new();
    private readonly FakeHostApplicationLifetime _lifetime = new();
    private readonly StoreRetryPolicy _retries;
    private readonly NodeLeases _leases;

    public NodeLeasesTests()
    {
        _retries = new StoreRetryPolicy(_store.Time, NullLogger<StoreRetryPolicy>.Instance);
        _leases = new NodeLeases(_store.Store, _store.Time, Options.Create(new ControlPlaneOptions { NodeLeaseDuration = TimeSpan.FromSeconds(40) }),
            _retries, _lifetime, NullLogger<NodeLeases>.Instance);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _leases.Dispose();
        await _store.DisposeAsync();
        _lifetime.Dispose();
    }

    private NodeCondition Ready(string node) => _store.Store.Get<Node>("", node)!.Status.Conditions.Single(c => c.Type == "Ready");

    private async Task CreateReadyNodeAsync(string name)
    {
        var node = Node(name);
        NodeConditions.SetReady(node, "True", "AgentReady", "agent is posting ready status", Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Epoch));
        await _store.Store.CreateAsync(node, Token).DefaultTimeout();
    }

    [Fact]
    public async Task CheckAsync_LeaseExpires_MarksNodeUnknownOnceAndBackToReadyOnRenewal()
    {
        await CreateReadyNodeAsync("n1");
        _leases.Renew("n1");

        _store.Time.Advance(TimeSpan.FromSeconds(40));
        await _leases.CheckAsync(Token).DefaultTimeout();
        Assert.Equal("True", Ready("n1").Status);

        _store.Time.Advance(TimeSpan.FromSeconds(1));
        await _leases.CheckAsync(Token).DefaultTimeout();
        var lost = Ready("n1");
        Assert.Equal(("Unknown", "NodeStatusUnknown"), (lost.Status, lost.Reason));
        Assert.Equal(Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(_store.Time.GetUtcNow()), lost.LastTransitionTime);

        var revision = _store.Store.Revision;
        await _leases.CheckAsync(Token).DefaultTimeout();
        Assert.Equal(revision, _store.Store.Revision);

        _leases.Renew("n1");
        await _leases.CheckAsync(Token).DefaultTimeout();
        Assert.Equal(("True", "AgentReady"), (Ready("n1").Status, Ready("n1").Reason));
    }

    [Fact]
    public async Task CheckAsync_NeverRenewed_GetsAFullLeaseFromStartup()
    {
        await CreateReadyNodeAsync("n1");

        _store.Time.Advance(TimeSpan.FromSeconds(30));
        await _leases.CheckAsync(Token).DefaultTimeout();
        Assert.Equal("True", Ready("n1").Status);

        _store.Time.Advance(TimeSpan.FromSeconds(11));
        await _leases.CheckAsync(Token).DefaultTimeout();
        Assert.Equal("Unknown", Ready("n1").Status);
    }

    [Fact]
    public void IsFresh_AfterRenewal_TrueForTheLeaseDuration()
    {
        _leases.Renew("n1");
        _store.Time.Advance(TimeSpan.FromSeconds(40));
        Assert.True(_leases.IsFresh("n1"));

        _store.Time.Advance(TimeSpan.FromTicks(1));
        Assert.False(_leases.IsFresh("n1"));
    }

    [Fact]
    public async Task CheckAsync_LeaseExpires_TaintsUnreachableAndPodsNotReadyUntilRenewed()
    {
        await CreateReadyNodeAsync("n1");
        var pod = Pod("p", "n1");
        pod.Status = new PodStatus
        {
            Phase = "Running",
            Conditions = { new PodCondition { Type = "Ready", Status = "True" } },
            ContainerStatuses = { new ContainerStatus { Name = "main", Ready = true } },
        };
        await _store.Store.CreateAsync(pod, Token).DefaultTimeout();
        _leases.Renew("n1");

        _store.Time.Advance(TimeSpan.FromSeconds(41));
        await _leases.CheckAsync(Token).DefaultTimeout();

        var taint = Assert.Single(_store.Store.Get<Node>("", "n1")!.Spec.Taints);
        Assert.Equal(("node.kubernetes.io/unreachable", "NoExecute"), (taint.Key, taint.Effect));
        var stored = _store.Store.Get<Pod>("default", "p")!;
        Assert.Equal(("False", "NodeNotReady"), (stored.Status.Conditions.Single(c => c.Type == "Ready").Status, stored.Status.Conditions.Single(c => c.Type == "Ready").Reason));
        Assert.False(stored.Status.ContainerStatuses.Single().Ready);
        Assert.Equal("n1", stored.Spec.NodeName);

        _leases.Renew("n1");
        await _leases.CheckAsync(Token).DefaultTimeout();

        Assert.Empty(_store.Store.Get<Node>("", "n1")!.Spec.Taints);
        Assert.Equal("True", Ready("n1").Status);
    }

    [Fact]
    public async Task Run_StoreRefusesWrites_RetriesWithBackoffReportsAndNeverStopsTheHost()
    {
        await CreateReadyNodeAsync("n1");
        _store.Backend.FailCommits = true;
        await _leases.StartAsync(Token).DefaultTimeout();

        // The lease runs out while the disk refuses writes: the loop fails, says so, and keeps trying.
        await AsyncTestHelpers.WaitUntilAsync(() =>
        {
            _store.Time.Advance(TimeSpan.FromSeconds(1));
            return _retries.Describe() is not null;
        }, "the failure is reported");
        Assert.Contains("node leases failing", _retries.Describe(), StringComparison.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            _store.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        Assert.Equal(0, _lifetime.StopRequests);
        Assert.Equal("True", Ready("n1").Status);

        _store.Backend.FailCommits = false;
        await AsyncTestHelpers.WaitUntilAsync(() =>
        {
            _store.Time.Advance(TimeSpan.FromSeconds(1));
            return Ready("n1").Status == "Unknown";
        }, "the retried pass marks the node");
        await AsyncTestHelpers.WaitUntilAsync(() => _retries.Describe() is null, "the report clears");
        Assert.Equal(0, _lifetime.StopRequests);
        await _leases.StopAsync(Token).DefaultTimeout();
    }
}
