using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using AdminServiceImpl = HostDaemons.ControlPlane.Api.AdminService;
using NodeServiceImpl = HostDaemons.ControlPlane.Api.NodeService;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>The node API wired as the control plane wires it (leases, assignment hub, events), over its own <see cref="StoreHarness"/>.</summary>
internal sealed class NodeServiceHarness : IAsyncDisposable
{
    private readonly StoreHarness _store = new();
    private readonly FakeHostApplicationLifetime _lifetime = new();
    private readonly NodeAssignmentHub _hub;
    private bool _hubStarted;
    private HostDaemons.ControlPlane.ServiceAccounts.ServiceAccountTokens? _tokens;

    public NodeServiceHarness()
    {
        var options = Options.Create(new ControlPlaneOptions());
        Leases = new NodeLeases(_store.Store, _store.Time, options, new StoreRetryPolicy(_store.Time, NullLogger<StoreRetryPolicy>.Instance), _lifetime, NullLogger<NodeLeases>.Instance);
        _hub = new NodeAssignmentHub(_store.Store, _lifetime, NullLogger<NodeAssignmentHub>.Instance);
        var events = new EventRecorder(_store.Store, _store.Time);
        Mirrors = new MirrorPods(_store.Store, events, AdminServiceHarness.PodSecurity(_store.Store), _store.Time, NullLogger<MirrorPods>.Instance);
        Service = new NodeServiceImpl(_store.Store, new HeaderNodeIdentity(), Leases, _hub, Tunnels, events, Mirrors,
            new StreamingCalls(_lifetime), Tokens, _store.Time, options, Logger);
        Admin = AdminServiceHarness.Create(_store, _lifetime, Mirrors);
    }

    public NodeServiceImpl Service { get; }

    /// <summary>The service account token issuer <c>RequestPodToken</c> uses, with a key made for the test.</summary>
    public HostDaemons.ControlPlane.ServiceAccounts.ServiceAccountTokens Tokens => _tokens ??= new(HostDaemons.ControlPlane.ServiceAccounts.ServiceAccountSigningKey.Create(), HostDaemons.ControlPlane.ServiceAccounts.ServiceAccountTokens.DefaultIssuer, _store.Store, _store.Time);

    /// <summary>The admin API over the same store and mirror pods, as hdctl reaches them.</summary>
    public AdminServiceImpl Admin { get; }

    public MirrorPods Mirrors { get; }

    /// <summary>The log relay the service feeds, as the admin API asks it for logs.</summary>
    public AgentTunnels Tunnels { get; } = new();

    public NodeLeases Leases { get; }

    /// <summary>What the service logged.</summary>
    public FakeLogger<NodeServiceImpl> Logger { get; } = new();

    public ObjectStore Store => _store.Store;

    /// <summary>Starts the assignment hub, for tests of <c>WatchPods</c>.</summary>
    public async Task StartHubAsync()
    {
        await _hub.StartAsync(TestContext.Current.CancellationToken).DefaultTimeout();
        _hubStarted = true;
    }

    /// <summary>A call from the agent on <paramref name="node"/>, as <see cref="HeaderNodeIdentity"/> identifies it.</summary>
    public static TestServerCallContext As(string node) => TestServerCallContext.Create((HeaderNodeIdentity.HeaderName, node));

    public async ValueTask DisposeAsync()
    {
        Leases.Dispose();
        if (_hubStarted)
        {
            await _hub.StopAsync(CancellationToken.None).DefaultTimeout();
        }

        _hub.Dispose();
        await _store.DisposeAsync();
        _lifetime.Dispose();
    }
}
