using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using AdminServiceImpl = HostDaemons.ControlPlane.Api.AdminService;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>An admin API wired as the control plane wires it, over its own <see cref="StoreHarness"/>.</summary>
internal sealed class AdminServiceHarness : IAsyncDisposable
{
    private readonly StoreHarness _store;
    private readonly FakeHostApplicationLifetime _lifetime = new();

    public AdminServiceHarness(InMemoryStorageBackend? backend = null)
    {
        _store = new StoreHarness(backend);
        Service = Create(_store, _lifetime);
    }

    public AdminServiceImpl Service { get; }

    public ObjectStore Store => _store.Store;

    public FakeTimeProvider Time => _store.Time;

    /// <summary>An admin API over a store the caller owns, its streaming calls ending when <paramref name="lifetime"/> stops.</summary>
    public static AdminServiceImpl Create(StoreHarness store, IHostApplicationLifetime lifetime) =>
        new(store.Store, new ObjectApplier(store.Store, store.Time), new PodTerminator(store.Store, store.Time), new AgentTunnels(),
            new StreamingCalls(lifetime), store.Time);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _lifetime.Dispose();
    }
}
