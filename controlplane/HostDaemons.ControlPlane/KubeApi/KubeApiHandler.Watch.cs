using System.Globalization;
using System.Text.Json.Nodes;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Printing;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// Watch with Kubernetes' semantics: one JSON event per line, flushed; synthetic ADDED events for the current state
/// when <c>resourceVersion</c> is unset or 0; an exact resume after N; an in-stream 410 Expired ERROR event when N is
/// older than the store's window; BOOKMARK events on request; <c>timeoutSeconds</c>. A watcher that falls more than
/// <see cref="MaxBacklog"/> events behind is ended (<see cref="WatchBacklog"/>) with an in-stream 410, or, when its
/// client has stopped reading and even that line cannot be flushed, by closing the connection: a slow reader never
/// costs unbounded memory.
/// </summary>
internal sealed partial class KubeApiHandler
{
    public const int MaxBacklog = 50_000;

    /// <summary>How long the 410 of a watcher that fell behind may take to flush before its connection is closed instead.</summary>
    private static readonly TimeSpan s_expiredFlushGrace = TimeSpan.FromSeconds(5);

    private const long MaxUnflushedBytes = 64 * 1024;

    private static readonly TimeSpan s_bookmarkInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_defaultWatchTimeout = TimeSpan.FromMinutes(30);

    private async Task WatchAsync(HttpContext http, RestCallContext call, KubeRequest request)
    {
        var query = http.Request.Query;
        var selection = Selection(http, request);
        var bookmarks = query["allowWatchBookmarks"] is { Count: > 0 } b && b[0] is "true" or "1";
        var timeout = query["timeoutSeconds"] is { Count: > 0 } t && long.TryParse(t[0], out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, 24 * 3600))
            : s_defaultWatchTimeout;
        var version = query["resourceVersion"].ToString();
        var table = TableRequest.From(http.Request) is { } asTable ? new TableWatchEncoder(request.Kind, asTable.Include, asTable.ApiVersion) : null;
        JsonNode EncodeObject(IKubeObject value) => table is null ? KubeJson.Encode(value) : table.Encode(value, time.GetUtcNow());

        IReadOnlyList<IKubeObject> initial = [];
        StoreSubscription subscription;
        if (version is "" or "0")
        {
            (initial, _, subscription) = store.SnapshotAndSubscribe(request.Kind.Kind);
        }
        else if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var after))
        {
            throw new KubeStatusException(KubeStatus.BadRequest($"invalid resource version \"{version}\""));
        }
        else
        {
            try
            {
                subscription = store.Subscribe(after);
            }
            catch (RevisionTooOldException ex)
            {
                StartStream(http);
                await KubeJson.WriteLineAsync(http, Event("ERROR", KubeStatus.Expired(ex.Message).ToJson()), http.RequestAborted)
                    .ConfigureAwait(false);
                return;
            }
        }

        StartStream(http);
        // The headers go out now, as the API server flushes them: client-go's Watch() returns only once it has them.
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
        await streaming.RunAsync(call, async cancellationToken =>
        {
            using var subscriptionScope = subscription;
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            var ct = timeoutSource.Token;
            try
            {
                foreach (var item in initial.Where(selection.Contains).OrderBy(o => o.Metadata.Namespace, StringComparer.Ordinal).ThenBy(o => o.Metadata.Name, StringComparer.Ordinal))
                {
                    await KubeJson.WriteLineAsync(http, Event("ADDED", EncodeObject(item)), ct).ConfigureAwait(false);
                }

                // Shared encodings carry the stored apiVersion: a watch through an alias version encodes (and converts) its own.
                var shared = table is null && request.ServedApiVersion == request.Kind.ApiVersion;
                await PumpAsync(http, request, selection, subscription, bookmarks, shared ? null : EncodeObject, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // timeoutSeconds passed: the stream ends normally and the client watches again from its last version.
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Sends the subscription's events; <paramref name="encode"/> is a Table's encoding, null for plain JSON, whose encodings every watcher shares.</summary>
    private async Task PumpAsync(HttpContext http, KubeRequest request, WatchSelection selection, StoreSubscription subscription, bool bookmarks,
        Func<IKubeObject, JsonNode>? encode, CancellationToken ct)
    {
        using var backlog = new WatchBacklog(subscription, MaxBacklog);
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(ct, backlog.Overflowed);
        try
        {
            await PumpEventsAsync(http, request, selection, backlog.Events, bookmarks, encode, writing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (backlog.Overflowed.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // Fell behind while a write was blocked: the 410 follows.
        }

        if (!backlog.Overflowed.IsCancellationRequested || ct.IsCancellationRequested)
        {
            return;
        }

        using var grace = new CancellationTokenSource(s_expiredFlushGrace, time);
        using var expiring = CancellationTokenSource.CreateLinkedTokenSource(ct, grace.Token);
        try
        {
            await KubeJson.WriteLineAsync(http, Event("ERROR", KubeStatus.Expired(
                $"the watcher fell more than {MaxBacklog} events behind and was ended; list again").ToJson()), expiring.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (grace.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            http.Abort();
        }
    }

    private async Task PumpEventsAsync(HttpContext http, KubeRequest request, WatchSelection selection, System.Threading.Channels.ChannelReader<StoreEvent> reader,
        bool bookmarks, Func<IKubeObject, JsonNode>? encode, CancellationToken ct)
    {
        Task<bool>? pending = null;
        while (true)
        {
            pending ??= reader.WaitToReadAsync(ct).AsTask();
            if (bookmarks)
            {
                var tick = Task.Delay(s_bookmarkInterval, time, ct);
                if (await Task.WhenAny(pending, tick).ConfigureAwait(false) == tick)
                {
                    await tick.ConfigureAwait(false);
                    await KubeJson.WriteLineAsync(http, Bookmark(request.Kind, store.Revision), ct).ConfigureAwait(false);
                    continue;
                }
            }

            if (!await pending.ConfigureAwait(false))
            {
                return;
            }

            pending = null;
            while (reader.TryRead(out var e))
            {
                if (selection.TypeOf(e) is not { } type)
                {
                    continue;
                }

                // Flushed past a bound and once the events waiting are written, so a burst costs a few sends, not one per event.
                var flush = http.Response.BodyWriter.UnflushedBytes > MaxUnflushedBytes;
                if (encode is null)
                {
                    await KubeJson.WriteEventLineAsync(http, type, encodings.Get(e), flush, ct).ConfigureAwait(false);
                }
                else
                {
                    await KubeJson.WriteLineAsync(http, Event(type, encode(WatchEventEncodings.WatchedObject(e))), ct).ConfigureAwait(false);
                }
            }

            if (http.Response.BodyWriter.UnflushedBytes > 0)
            {
                await http.Response.BodyWriter.FlushAsync(ct).ConfigureAwait(false);
            }
        }
    }

    private static void StartStream(HttpContext http)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = KubeJson.ContentType;
        http.Response.Headers.CacheControl = "no-cache, private";
    }

    private static JsonObject Event(string type, JsonNode value) => new() { ["type"] = type, ["object"] = value };

    private static JsonObject Bookmark(ResourceKindInfo kind, long revision) => Event("BOOKMARK", new JsonObject
    {
        ["kind"] = kind.KindName,
        ["apiVersion"] = kind.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) },
    });
}
