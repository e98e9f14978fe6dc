using System.Threading.Channels;

namespace HostDaemons.ControlPlane.Storage;

/// <summary>An ordered feed of committed changes; dispose it to stop receiving them.</summary>
internal sealed class StoreSubscription(Channel<StoreEvent> channel, Action<StoreSubscription> unsubscribe) : IDisposable
{
    public ChannelReader<StoreEvent> Events => channel.Reader;

    internal ChannelWriter<StoreEvent> Writer => channel.Writer;

    public void Dispose()
    {
        unsubscribe(this);
        channel.Writer.TryComplete();
    }
}
