using Microsoft.Extensions.Hosting;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>
/// A supervised background service under test, over a <see cref="StoreHarness"/> it takes over. It runs only once
/// the test starts it. Disposing it stops and disposes the service, then the store, and checks that the service never
/// asked the host to stop, which is what a supervised loop does when it dies.
/// </summary>
internal sealed class HostedServiceHarness<TService> : IAsyncDisposable
    where TService : IHostedService, IDisposable
{
    private readonly StoreHarness _store;
    private readonly FakeHostApplicationLifetime _lifetime = new();
    private bool _started;

    public HostedServiceHarness(StoreHarness store, Func<IHostApplicationLifetime, TService> create)
    {
        _store = store;
        Service = create(_lifetime);
    }

    public TService Service { get; }

    public async Task StartAsync()
    {
        await Service.StartAsync(TestContext.Current.CancellationToken).DefaultTimeout();
        _started = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await Service.StopAsync(CancellationToken.None).DefaultTimeout();
        }

        Service.Dispose();
        await _store.DisposeAsync();
        Assert.Equal(0, _lifetime.StopRequests);
        _lifetime.Dispose();
    }
}
