using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>
/// A <see cref="DaemonSetController"/> wired as the control plane wires it, over its own <see cref="StoreHarness"/>. Its
/// loop runs only once the test starts it; a test can also sync one DaemonSet directly.
/// </summary>
internal sealed class DaemonSetControllerHarness : IAsyncDisposable
{
    private readonly StoreHarness _store = new();
    private readonly HostedServiceHarness<DaemonSetController> _service;

    public DaemonSetControllerHarness()
    {
        _service = new(_store, lifetime => new DaemonSetController(_store.Store, new PodTerminator(_store.Store, _store.Time),
            new EventRecorder(_store.Store, _store.Time), _store.Time, Options.Create(new ControlPlaneOptions()), lifetime,
            NullLogger<DaemonSetController>.Instance));
    }

    public DaemonSetController Controller => _service.Service;

    public ObjectStore Store => _store.Store;

    public FakeTimeProvider Time => _store.Time;

    /// <summary>Starts the controller's loop, driven by store events and timers from then on.</summary>
    public Task StartAsync() => _service.StartAsync();

    /// <summary>One sync of the DaemonSet at <paramref name="key"/> (namespace/name), without the loop.</summary>
    public Task SyncAsync(string key = "default/agent") => Controller.SyncAsync(key, StoreHarness.Token).DefaultTimeout();

    public ValueTask DisposeAsync() => _service.DisposeAsync();
}
