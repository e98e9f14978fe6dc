using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using NodeServiceImpl = HostDaemons.ControlPlane.Api.NodeService;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>The node API wired as the control plane wires it (leases, assignment hub, events), over its own <see cref="StoreHarness"/>.</summary>
internal sealed class NodeServiceHarness : IAsyncDisposable
{
    private readonly StoreHarness _store = new();
    private readonly FakeHostApplicationLifetime _lifetime = new();
    private readonly NodeAssignmentHub _hub;

    public NodeServiceHarness()
    {
        var options = Options.Create(new ControlPlaneOptions());
        Leases = new NodeLeases(_store.Store, _store.Time, options, _lifetime, NullLogger<NodeLeases>.Instance);
        _hub = new NodeAssignmentHub(_store.Store, _lifetime, NullLogger<NodeAssignmentHub>.Instance);
        Service = new NodeServiceImpl(_store.Store, new HeaderNodeIdentity(), Leases, _hub, new AgentTunnels(), new EventRecorder(_store.Store, _store.Time),
            new StreamingCalls(_lifetime), _store.Time, options, Logger);
    }

    public NodeServiceImpl Service { get; }

    public NodeLeases Leases { get; }

    /// <summary>What the service logged.</summary>
    public FakeLogger<NodeServiceImpl> Logger { get; } = new();

    public ObjectStore Store => _store.Store;

    public async ValueTask DisposeAsync()
    {
        Leases.Dispose();
        _hub.Dispose();
        await _store.DisposeAsync();
        _lifetime.Dispose();
    }
}
