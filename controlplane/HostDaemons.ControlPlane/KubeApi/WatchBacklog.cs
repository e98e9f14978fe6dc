using System.Threading.Channels;
using HostDaemons.ControlPlane.Storage;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// A REST watcher's pending events, bounded. A watcher whose client stops reading blocks in its write, so the store's
/// subscription is drained here as fast as it fills (the store would end it a subscription's capacity behind), into at most
/// <c>limit</c> pending events; one more and the watcher is too slow: <see cref="Overflowed"/> is cancelled (which
/// cancels the blocked write) and the subscription is disposed, so nothing more is kept for that watcher.
/// </summary>
internal sealed class WatchBacklog : IDisposable
{
    private readonly Channel<StoreEvent> _pending;
    private readonly CancellationTokenSource _overflow = new();
    private readonly CancellationTokenSource _stop = new();

    public WatchBacklog(StoreSubscription subscription, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _pending = Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(limit) { SingleReader = true, SingleWriter = true });
        Forwarding = ForwardAsync(subscription);
    }

    public ChannelReader<StoreEvent> Events => _pending.Reader;

    /// <summary>Cancelled when the watcher fell more than the limit behind; its events then end.</summary>
    public CancellationToken Overflowed => _overflow.Token;

    internal Task Forwarding { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task ForwardAsync(StoreSubscription subscription)
    {
        var source = subscription.Events;
        try
        {
            while (await source.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (source.TryRead(out var e))
                {
                    if (!_pending.Writer.TryWrite(e))
                    {
                        subscription.Dispose();
                        _pending.Writer.TryComplete();
                        await _overflow.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ended.
        }
        catch (SubscriptionOverflowException)
        {
            // Even the forwarding fell a subscription behind: as slow as a full backlog.
            _pending.Writer.TryComplete();
            await _overflow.CancelAsync().ConfigureAwait(false);
            return;
        }

        _pending.Writer.TryComplete();
    }
}
