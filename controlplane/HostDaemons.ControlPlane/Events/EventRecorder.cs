using System.Collections.Concurrent;
using System.Security.Cryptography;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Events;

/// <summary>
/// Writes Events as Kubernetes' event recorder does: an event that repeats (same object, reason, message and source)
/// is one Event whose count and last time go up, not a new object each time.
/// </summary>
internal sealed class EventRecorder(IObjectStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);
    private int _indexed;

    public async Task RecordAsync(EventObjectReference about, EventSource source, string type, string reason, string message,
        int count, Timestamp? first, Timestamp? last, CancellationToken cancellationToken)
    {
        EnsureIndexed();
        var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        first ??= now;
        last ??= now;
        count = Math.Max(1, count);
        var key = Key(about, source, reason, message);
        if (_names.TryGetValue(key, out var name))
        {
            var updated = await store.MutateAsync<Event>(about.Namespace, name, e =>
            {
                e.Count += count;
                e.LastTimestamp = last > e.LastTimestamp ? last : e.LastTimestamp;
                return true;
            }, cancellationToken).ConfigureAwait(false);
            if (updated is not null)
            {
                return;
            }
        }

        var created = new Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new ObjectMeta { Name = $"{about.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", Namespace = about.Namespace },
            InvolvedObject = about,
            Reason = reason,
            Message = message,
            Source = source,
            Type = type,
            Count = count,
            FirstTimestamp = first,
            LastTimestamp = last,
        };
        await store.CreateAsync(created, cancellationToken).ConfigureAwait(false);
        _names[key] = created.Metadata.Name;
    }

    /// <summary>Events of an object, oldest first, for <c>describe</c>.</summary>
    public IReadOnlyList<Event> For(string ns, string uid) =>
        [.. store.List<Event>(ns).Where(e => e.InvolvedObject?.Uid == uid).OrderBy(e => e.LastTimestamp)];

    public void Forget(Event removed) => _names.TryRemove(Key(removed.InvolvedObject, removed.Source, removed.Reason, removed.Message), out _);

    /// <summary>After a restart, repeats keep counting on the stored events.</summary>
    private void EnsureIndexed()
    {
        if (Interlocked.Exchange(ref _indexed, 1) == 1)
        {
            return;
        }

        foreach (var e in store.List<Event>())
        {
            _names.TryAdd(Key(e.InvolvedObject, e.Source, e.Reason, e.Message), e.Metadata.Name);
        }
    }

    private static string Key(EventObjectReference? about, EventSource? source, string reason, string message) =>
        string.Join('\u001f', about?.Namespace, about?.Uid, about?.FieldPath, source?.Component, source?.Host, reason, message);
}
