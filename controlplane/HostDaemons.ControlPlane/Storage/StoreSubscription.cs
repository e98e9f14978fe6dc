using System.Threading.Channels;

namespace HostDaemons.ControlPlane.Storage;

/// <summary>
/// An ordered feed of committed changes; dispose it to stop receiving them. Bounded: a reader that falls
/// <see cref="Capacity"/> changes behind is ended with <see cref="SubscriptionOverflowException"/> after the changes
/// it still holds, as the agent-facing hub ends a laggard, and resumes with a snapshot (a list, a re-list, a 410).
/// A stuck watcher therefore never buffers the fleet's changes.
/// </summary>
internal sealed class StoreSubscription(Action<StoreSubscription> unsubscribe) : IDisposable
{
    /// <summary>
    /// The changes a reader may fall behind by, for every consumer. Larger than the agent-facing hub's per-node bound
    /// (4,096): the hub's own subscription, and the controllers', carry the whole fleet's changes, and a 10,000-node
    /// rollout writes several changes per pod in a burst; an in-process consumer that briefly lags it must not be
    /// forced into a re-list (for the hub, every agent's snapshot at once).
    /// </summary>
    public const int Capacity = 16_384;

    private readonly Channel<StoreEvent> _channel = Channel.CreateBounded<StoreEvent>(
        new BoundedChannelOptions(Capacity) { SingleWriter = true, SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>The changes; reading past the last one held throws <see cref="SubscriptionOverflowException"/> after an overflow.</summary>
    public ChannelReader<StoreEvent> Events => _channel.Reader;

    public void Dispose()
    {
        unsubscribe(this);
        _channel.Writer.TryComplete();
    }

    /// <summary>Hands over a change; false when the reader is <see cref="Capacity"/> behind, which ends the feed.</summary>
    internal bool TryDeliver(StoreEvent e)
    {
        if (_channel.Writer.TryWrite(e))
        {
            return true;
        }

        _channel.Writer.TryComplete(new SubscriptionOverflowException());
        return false;
    }

    internal void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);
}
