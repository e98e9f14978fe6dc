using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>A <see cref="NodeAssignmentHub"/> over its own <see cref="StoreHarness"/>; it runs only once the test starts it.</summary>
internal sealed class NodeAssignmentHubHarness : IAsyncDisposable
{
    private readonly StoreHarness _store = new();
    private readonly HostedServiceHarness<NodeAssignmentHub> _service;

    public NodeAssignmentHubHarness()
    {
        _service = new(_store, lifetime => new NodeAssignmentHub(_store.Store, lifetime, NullLogger<NodeAssignmentHub>.Instance));
    }

    public NodeAssignmentHub Hub => _service.Service;

    public ObjectStore Store => _store.Store;

    public Task StartAsync() => _service.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();
}
