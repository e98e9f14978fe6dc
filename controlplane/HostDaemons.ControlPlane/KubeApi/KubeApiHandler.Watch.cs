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
/// older than the store's window; BOOKMARK events on request; <c>timeoutSeconds</c>. A watcher that falls a whole
/// store subscription behind (<see cref="StoreSubscription.Capacity"/>) is ended with 410, as every store consumer is,
/// so a slow reader never costs unbounded memory.
/// </summary>
internal sealed partial class KubeApiHandler
{
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

                await PumpAsync(http, request, selection, subscription, bookmarks, EncodeObject, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // timeoutSeconds passed: the stream ends normally and the client watches again from its last version.
            }
        }).ConfigureAwait(false);
    }

    private async Task PumpAsync(HttpContext http, KubeRequest request, WatchSelection selection, StoreSubscription subscription, bool bookmarks,
        Func<IKubeObject, JsonNode> encode, CancellationToken ct)
    {
        var reader = subscription.Events;
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

            try
            {
                if (!await pending.ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (SubscriptionOverflowException ex)
            {
                await KubeJson.WriteLineAsync(http, Event("ERROR", KubeStatus.Expired(ex.Message).ToJson()), ct).ConfigureAwait(false);
                return;
            }

            pending = null;

            while (reader.TryRead(out var e))
            {
                if (selection.TypeOf(e) is { } type)
                {
                    var value = e.Object;
                    if (e.Type == StoreEventType.Deleted)
                    {
                        // A deletion is at its own revision, which the deleted object's metadata does not carry.
                        value = value.CloneObject();
                        value.Metadata.ResourceVersion = e.Revision.ToString(CultureInfo.InvariantCulture);
                    }

                    await KubeJson.WriteLineAsync(http, Event(type, encode(value)), ct).ConfigureAwait(false);
                }
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
