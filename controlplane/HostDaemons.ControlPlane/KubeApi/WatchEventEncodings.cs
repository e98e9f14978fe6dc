using System.Globalization;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// The JSON of recent store events' objects, encoded once and shared by every REST watcher that sends the event as plain
/// JSON: without it, 100 watchers of every pod encode each pod 100 times, and that encoding was most of the control
/// plane's CPU (docs/benchmarks.md, "Kubernetes API"). A ring of <see cref="Size"/> slots indexed by revision bounds the
/// memory; a slot holding another event is a miss, which only encodes again.
/// </summary>
internal sealed class WatchEventEncodings
{
    public const int Size = 4096;

    private readonly Entry?[] _slots = new Entry?[Size];

    /// <summary>The event's object as a watch sends it (a deletion at its own revision), as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Get(StoreEvent e)
    {
        var index = (int)((ulong)e.Revision % Size);
        if (Volatile.Read(ref _slots[index]) is { } entry && ReferenceEquals(entry.Event, e))
        {
            return entry.Json;
        }

        var json = KubeJson.ToUtf8(KubeJson.Encode(WatchedObject(e)));
        Volatile.Write(ref _slots[index], new Entry(e, json));
        return json;
    }

    /// <summary>The object a watch sends for <paramref name="e"/>: a deletion is at its own revision, which the deleted object's metadata does not carry.</summary>
    public static IKubeObject WatchedObject(StoreEvent e)
    {
        if (e.Type != StoreEventType.Deleted)
        {
            return e.Object;
        }

        var value = e.Object.CloneObject();
        value.Metadata.ResourceVersion = e.Revision.ToString(CultureInfo.InvariantCulture);
        return value;
    }

    private sealed record Entry(StoreEvent Event, byte[] Json);
}
