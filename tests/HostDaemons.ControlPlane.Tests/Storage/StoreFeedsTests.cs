using HostDaemons.ControlPlane.Storage;
using HostDaemons.ControlPlane.Tests.TestServices;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostDaemons.ControlPlane.Tests.Storage;

/// <summary><see cref="StoreFeeds.FollowAsync"/>: how every controller follows the store.</summary>
public sealed class StoreFeedsTests : IAsyncLifetime
{
    private readonly StoreHarness _harness = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task FollowAsync_ConsumerFallsASubscriptionBehind_ResubscribesAndRelistsInsteadOfDying()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        using var slow = new ManualResetEventSlim(false);
        var relists = 0;
        var handled = new List<string>();
        var firstSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var follow = _harness.Store.FollowAsync(
            () => Interlocked.Increment(ref relists),
            e =>
            {
                firstSeen.TrySetResult();
                slow.Wait(cts.Token);
                lock (handled)
                {
                    handled.Add(e.Object.Metadata.Name);
                }
            },
            NullLogger.Instance,
            cts.Token);
        Assert.Equal(1, relists);

        await ObjectStoreBoundsTests.CreateManyAsync(_harness.Store, 1, "first");
        await firstSeen.Task.DefaultTimeout();
        await ObjectStoreBoundsTests.CreateManyAsync(_harness.Store, StoreSubscription.Capacity + 10, "burst");
        slow.Set();

        await AsyncTestHelpers.WaitUntilAsync(() => Volatile.Read(ref relists) == 2, "the feed overflowed and was taken again");
        await _harness.Store.CreateAsync(new Model.V1.ConfigMap { Metadata = new Model.V1.ObjectMeta { Namespace = "default", Name = "after" } }, Token).DefaultTimeout();
        await AsyncTestHelpers.WaitUntilAsync(() =>
        {
            lock (handled)
            {
                return handled.Contains("after");
            }
        }, "changes after the overflow are handled");
        Assert.False(follow.IsCompleted);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follow).DefaultTimeout();
    }
}
