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
    /// <summary>The changes a reader may fall behind by: the agent-facing hub's bound, for every consumer.</summary>
    public const int Capacity = 4096;

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
