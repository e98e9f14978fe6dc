using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.ControlPlane.Tests.Storage;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

/// <summary>hdctl's watches (get -w, rollout status) with a client that stops reading: bounded, as every store consumer.</summary>
public sealed class AdminServiceSlowWatcherTests : IAsyncLifetime
{
    private readonly AdminServiceHarness _api = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task Watch_ClientFallsASubscriptionBehind_EndsWithOutOfRangeInsteadOfBufferingTheFleet()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var writer = new CollectingStreamWriter<WatchEvent>();
        writer.Hold();
        var call = _api.Service.Watch(new WatchRequest { Kind = ResourceKind.ConfigMap, AllNamespaces = true }, writer, new TestServerCallContext(cancellationToken: cts.Token));

        await ObjectStoreBoundsTests.CreateManyAsync(_api.Store, StoreSubscription.Capacity + 10);
        writer.Release();

        var ex = await Assert.ThrowsAsync<SubscriptionOverflowException>(() => call).DefaultTimeout();
        var status = ApiErrors.FromStore(ex)!.Status;
        Assert.Equal(StatusCode.OutOfRange, status.StatusCode);
        Assert.Contains("list again", status.Detail, StringComparison.Ordinal);
        Assert.InRange(writer.Count, 1, StoreSubscription.Capacity + 1);
    }

    [Fact]
    public async Task WatchRollout_ClientFallsASubscriptionBehind_ReadsTheStateAfreshAndGoesOn()
    {
        var ds = DaemonSet();
        ds.Metadata.Uid = "";
        await _api.Store.CreateAsync(ds, Token).DefaultTimeout();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var writer = new CollectingStreamWriter<RolloutProgress>();
        var call = _api.Service.WatchRollout(new WatchRolloutRequest { Name = "agent" }, writer, new TestServerCallContext(cancellationToken: cts.Token));
        await writer.NextAsync();

        writer.Hold();
        for (var i = 0; i <= StoreSubscription.Capacity; i++)
        {
            await _api.Store.MutateAsync<DaemonSet>("default", "agent", d =>
            {
                d.Metadata.Labels["round"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return true;
            }, Token).DefaultTimeout();
        }

        writer.Release();
        await _api.Store.DeleteAsync<DaemonSet>("default", "agent", null, Token).DefaultTimeout();

        // The DaemonSet's deletion still reaches the client, which ends the call as a finished rollout does.
        await call.DefaultTimeout();
        RolloutProgress last;
        do
        {
            last = await writer.NextAsync();
        }
        while (last.DaemonSet is not null);
    }
}
