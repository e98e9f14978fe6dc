using HostDaemons.ControlPlane.KubeApi;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Tests.KubeApi;

/// <summary>
/// A REST watcher whose client stops reading: its pending events stay bounded by the limit and, one event past it, the
/// watcher is cut off (the blocked write is cancelled and the 410 follows) and the store stops feeding it.
/// </summary>
public sealed class WatchBacklogTests : IAsyncLifetime
{
    private const int Limit = 20;
    private readonly StoreHarness _store = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task UnreadWatcher_AtTheLimit_KeepsEveryEventAndStaysOpen()
    {
        using var subscription = _store.Store.Subscribe();
        using var backlog = new WatchBacklog(subscription, Limit);

        await CreateNamespacesAsync(Limit);

        await AsyncTestHelpers.WaitUntilAsync(() => backlog.Events.Count == Limit, "the events to be pending");
        Assert.False(backlog.Overflowed.IsCancellationRequested);
        Assert.False(subscription.Events.Completion.IsCompleted);
    }

    [Fact]
    public async Task UnreadWatcher_OnePastTheLimit_CutOffAndNoLongerFed()
    {
        using var subscription = _store.Store.Subscribe();
        using var backlog = new WatchBacklog(subscription, Limit);
        var blockedWrite = Task.Delay(Timeout.Infinite, backlog.Overflowed);

        await CreateNamespacesAsync(Limit + 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blockedWrite.DefaultTimeout());
        await subscription.Events.Completion.DefaultTimeout();
        await backlog.Forwarding.DefaultTimeout();
        while (subscription.Events.TryRead(out _))
        {
        }

        await CreateNamespacesAsync(Limit, first: 100);
        Assert.False(subscription.Events.TryRead(out _));
        Assert.True(backlog.Events.Count <= Limit);
    }

    [Fact]
    public async Task ReadingWatcher_ManyMoreEventsThanTheLimit_NeverCutOff()
    {
        using var subscription = _store.Store.Subscribe();
        using var backlog = new WatchBacklog(subscription, Limit);
        var read = 0;
        var reading = Task.Run(async () =>
        {
            await foreach (var _ in backlog.Events.ReadAllAsync(TestContext.Current.CancellationToken))
            {
                if (++read == Limit * 5)
                {
                    return;
                }
            }
        }, TestContext.Current.CancellationToken);

        for (var batch = 0; batch < 5; batch++)
        {
            await CreateNamespacesAsync(Limit, first: batch * Limit);
            await AsyncTestHelpers.WaitUntilAsync(() => Volatile.Read(ref read) >= (batch + 1) * Limit, "the watcher to read the batch");
        }

        await reading.DefaultTimeout();
        Assert.False(backlog.Overflowed.IsCancellationRequested);
    }

    private async Task CreateNamespacesAsync(int count, int first = 0)
    {
        for (var i = first; i < first + count; i++)
        {
            await _store.Store.CreateAsync(new Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new ObjectMeta { Name = $"ns-{i}" } },
                TestContext.Current.CancellationToken);
        }
    }
}
