using Google.Protobuf;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class NamespaceControllerTests : IAsyncLifetime
{
    private readonly StoreHarness _store = new();
    private readonly EventRecorder _events;
    private readonly HostedServiceHarness<NamespaceController> _harness;
    private readonly NamespaceController _controller;

    public NamespaceControllerTests()
    {
        _events = new EventRecorder(_store.Store, _store.Time);
        _harness = new(_store, lifetime => new NamespaceController(_store.Store, new PodTerminator(_store.Store, _store.Time), _events, _store.Time,
            lifetime, NullLogger<NamespaceController>.Instance));
        _controller = _harness.Service;
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private Task SyncAsync(string name) => _controller.SyncAsync(name, Token).DefaultTimeout();

    private Namespace? StoredNamespace(string name) => _store.Store.Get<Namespace>("", name);

    private async Task<T> CreateAsync<T>(T value)
        where T : class, IKubeObject<T> => await _store.Store.CreateAsync(value, Token).DefaultTimeout();

    private Task StartAsync() => _harness.StartAsync();

    /// <summary>A namespace marked for deletion, as <c>hdctl delete namespace</c> leaves it.</summary>
    private async Task TerminateAsync(string name)
    {
        await Namespaces.EnsureAsync(_store.Store, name, Token).DefaultTimeout();
        await Namespaces.BeginDeletionAsync(_store.Store, StoredNamespace(name)!, _store.Time.GetUtcNow(), Token).DefaultTimeout();
    }

    /// <summary>What an agent does once a terminating pod's containers are stopped: the pod goes.</summary>
    private Task RemovePodAsync(Pod pod) => _store.Store.DeleteAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name, pod.Metadata.Uid, Token).DefaultTimeout();

    private Task RecordAsync(string ns, string podName) => _events.RecordAsync(
        new EventObjectReference { Kind = "Pod", Namespace = ns, Name = podName, Uid = "uid-" + podName },
        new EventSource { Component = "kubelet", Host = "n1" }, "Normal", "Killing", "Stopping container main", 1, null, null, Token).DefaultTimeout();

    /// <summary>A namespace holding a DaemonSet with its pod on a live node, an orphan pod, a secret and an event.</summary>
    private async Task<(DaemonSet Ds, Pod Daemon, Pod Orphan)> PopulateAsync(string ns)
    {
        await CreateAsync(Node("n1"));
        var ds = await CreateAsync(DaemonSet("agent", @namespace: ns));
        var daemon = await CreateAsync(DaemonPod(ds, "n1", "hash", "agent-x1"));
        var orphan = await CreateAsync(Pod("loner", "n1", ns));
        await CreateAsync(new Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new ObjectMeta { Name = "tokens", Namespace = ns }, Type = "Opaque" });
        await RecordAsync(ns, "agent-x1");
        return (ds, daemon, orphan);
    }

    [Fact]
    public async Task StartAsync_EmptyStore_CreatesDefaultAndKubeSystemActive()
    {
        await StartAsync();

        Assert.Equal(["default", "kube-system"], _store.Store.List<Namespace>().Select(n => n.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(_store.Store.List<Namespace>(), n => Assert.Equal("Active", n.Status.Phase));
    }

    [Fact]
    public async Task StartAsync_InitialNamespacesExist_WritesNothing()
    {
        await Namespaces.EnsureAsync(_store.Store, "default", Token).DefaultTimeout();
        await Namespaces.EnsureAsync(_store.Store, "kube-system", Token).DefaultTimeout();
        var revision = _store.Store.Revision;

        await StartAsync();

        Assert.Equal(revision, _store.Store.Revision);
    }

    [Fact]
    public async Task SyncAsync_TerminatingNamespace_DeletesItsContentAndTerminatesPodsGracefully()
    {
        var (ds, daemon, orphan) = await PopulateAsync("infra");
        await CreateAsync(DaemonSet("other", @namespace: "default"));
        await TerminateAsync("infra");

        await SyncAsync("infra");

        Assert.Null(_store.Store.Get<DaemonSet>("infra", ds.Metadata.Name));
        Assert.Empty(_store.Store.List<Secret>("infra"));
        Assert.Empty(_store.Store.List<Event>("infra"));
        Assert.All([daemon, orphan], p =>
        {
            var stored = _store.Store.Get<Pod>("infra", p.Metadata.Name)!;
            Assert.True(stored.IsTerminating());
            Assert.Equal(30, stored.Metadata.DeletionGracePeriodSeconds);
        });
        Assert.Equal("Terminating", StoredNamespace("infra")!.Status.Phase);
        Assert.NotNull(_store.Store.Get<DaemonSet>("default", "other"));
    }

    [Fact]
    public async Task SyncAsync_TerminatingNamespaceWithConfigAndDiscoveryObjects_AllGoThenTheNamespace()
    {
        const string ns = "monitoring";
        await Namespaces.EnsureAsync(_store.Store, ns, Token).DefaultTimeout();
        var meta = (string name) => new ObjectMeta { Name = name, Namespace = ns };
        await CreateAsync(new ConfigMap { Metadata = meta("cfg") });
        await CreateAsync(new ServiceAccount { Metadata = meta("default") });
        await CreateAsync(new Role { Metadata = meta("reader") });
        await CreateAsync(new RoleBinding { Metadata = meta("read"), RoleRef = new RoleRef { Kind = "Role", Name = "reader" } });
        await CreateAsync(new Service { Metadata = meta("web"), Spec = new ServiceSpec { ClusterIp = "None" } });
        await CreateAsync(new EndpointSlice { Metadata = meta("web-abcde"), AddressType = "IPv4" });
        await CreateAsync(new ClusterRole { Metadata = new ObjectMeta { Name = "cluster-wide" } });
        await TerminateAsync(ns);

        await SyncAsync(ns);
        await SyncAsync(ns);

        foreach (var kind in new[] { ResourceKind.ConfigMap, ResourceKind.ServiceAccount, ResourceKind.Role, ResourceKind.RoleBinding, ResourceKind.Service, ResourceKind.EndpointSlice })
        {
            Assert.Empty(_store.Store.List(kind, ns));
        }

        Assert.Null(StoredNamespace(ns));
        Assert.NotNull(_store.Store.Get<ClusterRole>("", "cluster-wide"));
    }

    [Fact]
    public async Task SyncAsync_LastPodGone_DeletesTheNamespace()
    {
        var (_, daemon, orphan) = await PopulateAsync("infra");
        await TerminateAsync("infra");
        await SyncAsync("infra");

        await RemovePodAsync(daemon);
        await SyncAsync("infra");
        Assert.NotNull(StoredNamespace("infra"));

        await RemovePodAsync(orphan);
        await SyncAsync("infra");

        Assert.Null(StoredNamespace("infra"));
    }

    [Fact]
    public async Task SyncAsync_PodsWithoutALiveNode_GoAtOnceAndSoDoesTheNamespace()
    {
        await CreateAsync(Pod("unbound", nodeName: "", "infra"));
        await CreateAsync(Pod("on-gone-node", nodeName: "gone", "infra"));
        await TerminateAsync("infra");

        await SyncAsync("infra");

        Assert.Empty(_store.Store.List<Pod>("infra"));
        Assert.Null(StoredNamespace("infra"));
    }

    [Fact]
    public async Task SyncAsync_ActiveNamespace_TouchesNothing()
    {
        await PopulateAsync("infra");
        await Namespaces.EnsureAsync(_store.Store, "infra", Token).DefaultTimeout();
        var revision = _store.Store.Revision;

        await SyncAsync("infra");

        Assert.Equal(revision, _store.Store.Revision);
    }

    [Fact]
    public async Task SyncAsync_ObjectsInAMissingNamespace_GetTheirNamespaceBack()
    {
        await CreateAsync(DaemonSet("agent", @namespace: "legacy"));

        await SyncAsync("legacy");

        Assert.Equal("Active", StoredNamespace("legacy")?.Status.Phase);
    }

    [Fact]
    public async Task SyncAsync_OnlyEventsInAMissingNamespace_AreDeleted()
    {
        await RecordAsync("gone", "agent-x1");

        await SyncAsync("gone");

        Assert.Empty(_store.Store.List<Event>("gone"));
        Assert.Null(StoredNamespace("gone"));
    }

    [Fact]
    public async Task Run_DeleteNamespaceThroughTheApi_ContentGoesThenTheNamespace()
    {
        using var streamingLifetime = new FakeHostApplicationLifetime();
        var api = AdminServiceHarness.Create(_store, streamingLifetime);
        var (_, daemon, orphan) = await PopulateAsync("infra");
        await StartAsync();
        await api.Apply(new ApplyRequest { Object = DaemonSet("late", @namespace: "infra").Wrap() }, TestServerCallContext.Create()).DefaultTimeout();

        await api.Delete(new DeleteRequest { Ref = new ObjectReference { Kind = ResourceKind.Namespace, Name = "infra" } }, TestServerCallContext.Create()).DefaultTimeout();

        await AsyncTestHelpers.WaitUntilAsync(() => _store.Store.List<DaemonSet>("infra").Count == 0 && _store.Store.List<Pod>("infra").All(p => p.IsTerminating()),
            "the DaemonSets to go and the pods to terminate");
        Assert.NotNull(StoredNamespace("infra"));
        await RemovePodAsync(daemon);
        await RemovePodAsync(orphan);
        await AsyncTestHelpers.WaitUntilAsync(() => StoredNamespace("infra") is null, "the namespace to go once empty");
        Assert.NotNull(StoredNamespace("default"));
    }

    [Fact]
    public async Task Run_EventReportedAfterTheNamespaceWent_IsDeleted()
    {
        await StartAsync();
        await TerminateAsync("infra");
        await AsyncTestHelpers.WaitUntilAsync(() => StoredNamespace("infra") is null, "the empty namespace to go");

        await RecordAsync("infra", "agent-x1");

        await AsyncTestHelpers.WaitUntilAsync(() => _store.Store.List<Event>("infra").Count == 0, "the late event to be deleted");
        Assert.Null(StoredNamespace("infra"));
    }

    [Fact]
    public async Task Run_SecretWithData_IsDeletedWithItsNamespace()
    {
        await StartAsync();
        await CreateAsync(new Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new ObjectMeta { Name = "regcred", Namespace = "infra" },
            Type = "Opaque",
            Data = { ["k"] = ByteString.CopyFromUtf8("v") },
        });

        await TerminateAsync("infra");

        await AsyncTestHelpers.WaitUntilAsync(() => StoredNamespace("infra") is null && _store.Store.List<Secret>("infra").Count == 0,
            "the secret and then the namespace to go");
    }
}
