using System.Text;
using HostDaemons.ControlPlane.KubeApi;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Tests.KubeApi;

/// <summary>A watch event's JSON is encoded once and shared by every watcher; a deletion is sent at its own revision.</summary>
public sealed class WatchEventEncodingsTests
{
    private static Secret Secret(string name, string resourceVersion) =>
        new() { Metadata = new ObjectMeta { Name = name, Namespace = "default", ResourceVersion = resourceVersion } };

    [Fact]
    public void SameEvent_EncodedOnceAndShared()
    {
        var encodings = new WatchEventEncodings();
        var e = new StoreEvent(StoreEventType.Modified, Secret("s", "7"), null, 7);

        var first = encodings.Get(e);
        var second = encodings.Get(e);

        Assert.True(first.Span == second.Span, "the second watcher gets the same bytes, not a new encoding");
        Assert.Equal("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default","resourceVersion":"7"}}""", Encoding.UTF8.GetString(first.Span));
    }

    [Fact]
    public void Deletion_AtItsOwnRevision_StoredObjectUntouched()
    {
        var encodings = new WatchEventEncodings();
        var deleted = Secret("s", "7");

        var json = Encoding.UTF8.GetString(encodings.Get(new StoreEvent(StoreEventType.Deleted, deleted, null, 9)).Span);

        Assert.Contains("\"resourceVersion\":\"9\"", json, StringComparison.Ordinal);
        Assert.Equal("7", deleted.Metadata.ResourceVersion);
    }

    [Fact]
    public void AnotherEventInTheSameSlot_EncodedAfresh()
    {
        var encodings = new WatchEventEncodings();
        var older = new StoreEvent(StoreEventType.Added, Secret("a", "1"), null, 1);
        var newer = new StoreEvent(StoreEventType.Added, Secret("b", $"{1 + WatchEventEncodings.Size}"), null, 1 + WatchEventEncodings.Size);

        _ = encodings.Get(older);
        var json = Encoding.UTF8.GetString(encodings.Get(newer).Span);
        var again = Encoding.UTF8.GetString(encodings.Get(older).Span);

        Assert.Contains("\"name\":\"b\"", json, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"a\"", again, StringComparison.Ordinal);
    }
}
