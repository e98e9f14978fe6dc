using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class ServiceAccountControllerTests : IAsyncLifetime
{
    private readonly StoreHarness _store = new();
    private readonly HostedServiceHarness<ServiceAccountController> _harness;

    public ServiceAccountControllerTests()
    {
        _harness = new(_store, lifetime => new ServiceAccountController(_store.Store, _store.Time, lifetime, NullLogger<ServiceAccountController>.Instance));
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private ServiceAccount? Default(string ns) => _store.Store.Get<ServiceAccount>(ns, "default");

    private Task WaitForDefaultAsync(string ns) =>
        AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(Default(ns) is not null), $"the default service account of {ns}");

    [Fact]
    public async Task Loop_NamespacesBeforeAndAfterStart_EachGetsDefault()
    {
        await Namespaces.EnsureAsync(_store.Store, "existing", Token).DefaultTimeout();
        await _harness.StartAsync();
        await WaitForDefaultAsync("existing");

        await Namespaces.EnsureAsync(_store.Store, "monitoring", Token).DefaultTimeout();

        await WaitForDefaultAsync("monitoring");
        var account = Default("monitoring")!;
        Assert.Equal(("v1", "ServiceAccount", "monitoring"), (account.ApiVersion, account.Kind, account.Metadata.Namespace));
    }

    [Fact]
    public async Task Loop_DefaultDeleted_MadeAgain()
    {
        await Namespaces.EnsureAsync(_store.Store, "logging", Token).DefaultTimeout();
        await _harness.StartAsync();
        await WaitForDefaultAsync("logging");
        var first = Default("logging")!;

        await _store.Store.DeleteAsync<ServiceAccount>("logging", "default", null, Token).DefaultTimeout();

        await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(Default("logging") is { } again && again.Metadata.Uid != first.Metadata.Uid),
            "a new default service account");
    }

    [Fact]
    public async Task SyncAsync_TerminatingNamespace_NoDefault()
    {
        await Namespaces.EnsureAsync(_store.Store, "going", Token).DefaultTimeout();
        await Namespaces.BeginDeletionAsync(_store.Store, _store.Store.Get<Namespace>("", "going")!, _store.Time.GetUtcNow(), Token).DefaultTimeout();

        await _harness.Service.SyncAsync("going", Token).DefaultTimeout();
        await _harness.Service.SyncAsync("absent", Token).DefaultTimeout();

        Assert.Null(Default("going"));
        Assert.Null(Default("absent"));
    }
}
