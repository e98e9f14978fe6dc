using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Printing;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>Reads of stored kinds: get, list (label and field selectors, <c>limit</c>/<c>continue</c>).</summary>
internal sealed partial class KubeApiHandler
{
    private async Task ServeResourceAsync(HttpContext http, RestCallContext call, KubeRequest request)
    {
        if (request.Verb.Length == 0)
        {
            throw new KubeStatusException(KubeStatus.MethodNotAllowed($"the server does not allow this method on the requested resource"));
        }

        var caller = RestCalls.Caller(call);
        calls.Authorize(call, new AccessRequest(caller, request.Verb, request.Kind.Group, request.Kind.Plural, request.Subresource, request.Namespace, request.Name));
        if (ApiVersionAlias.Attach(http, request) is { } deprecation)
        {
            AddWarnings(http, [deprecation]);
        }

        switch (request.Subresource, request.Verb)
        {
            case ("log", "get"):
                await LogsAsync(http, call, request).ConfigureAwait(false);
                break;
            case ("eviction", "create"):
                await EvictAsync(http, call, request).ConfigureAwait(false);
                break;
            case ("token", "create"):
                await TokenRequestAsync(http, request).ConfigureAwait(false);
                break;
            case ("" or "status", "get"):
                var found = Get(request);
                await KubeJson.WriteAsync(http, 200, TableRequest.From(http.Request) is { } table
                    ? KubeTableWriter.BuildOne(request.Kind, found, table.Include, time.GetUtcNow(), table.ApiVersion)
                    : KubeJson.Encode(found)).ConfigureAwait(false);
                break;
            case ("", "list"):
                await ListAsync(http, request).ConfigureAwait(false);
                break;
            case ("", "watch"):
                await WatchAsync(http, call, request).ConfigureAwait(false);
                break;
            case ("", "create"):
                await CreateAsync(http, call, request).ConfigureAwait(false);
                break;
            case ("" or "status", "update"):
                await UpdateAsync(http, call, request).ConfigureAwait(false);
                break;
            case ("" or "status", "patch"):
                await PatchAsync(http, call, request).ConfigureAwait(false);
                break;
            case ("", "delete"):
                await DeleteAsync(http, call, request).ConfigureAwait(false);
                break;
            case ("", "deletecollection"):
                await DeleteCollectionAsync(http, call, request).ConfigureAwait(false);
                break;
            default:
                throw new KubeStatusException(KubeStatus.MethodNotAllowed($"the server does not allow this method on the requested resource ({request.Kind.Plural}/{request.Subresource})"));
        }
    }

    private IKubeObject Get(KubeRequest request) =>
        store.Get(new ObjectKey(request.Kind.Kind, request.Namespace, request.Name)) ?? throw ApiErrors.NotFound(request.Kind.Kind, request.Name);

    private async Task ListAsync(HttpContext http, KubeRequest request)
    {
        var selection = Selection(http, request);
        var revision = store.Revision;
        var items = store.List(request.Kind.Kind, selection.Namespace)
            .Where(selection.Contains)
            .OrderBy(o => o.Metadata.Namespace, StringComparer.Ordinal)
            .ThenBy(o => o.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        var query = http.Request.Query;
        if (query["continue"] is { Count: > 0 } token && token[0] is { Length: > 0 } text)
        {
            var (tokenRevision, after) = ContinueToken.Parse(text);
            revision = tokenRevision;
            items = [.. items.Where(o => string.CompareOrdinal(o.Metadata.Namespace + "/" + o.Metadata.Name, after) > 0)];
        }

        string? next = null;
        long? remaining = null;
        if (query["limit"] is { Count: > 0 } limitText && long.TryParse(limitText[0], out var limit) && limit > 0 && items.Count > limit)
        {
            remaining = items.Count - limit;
            items = items[..(int)limit];
            var last = items[^1];
            next = ContinueToken.Format(revision, last.Metadata.Namespace + "/" + last.Metadata.Name);
        }

        var version = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = TableRequest.From(http.Request) is { } table
            ? KubeTableWriter.Build(request.Kind, items, version, next, table.Include, time.GetUtcNow(), table.ApiVersion, remainingItemCount: remaining)
            : KubeJson.List(request.Kind, items, version, next, remaining);
        await KubeJson.WriteAsync(http, 200, body).ConfigureAwait(false);
    }

    /// <summary>What a list, watch or deletecollection selects: the namespace of the URL, the label and field selectors.</summary>
    private static WatchSelection Selection(HttpContext http, KubeRequest request)
    {
        var query = http.Request.Query;
        var labels = AdminService.ParseSelector(query["labelSelector"].ToString());
        var fields = AdminService.ParseFieldSelector(request.Kind.Kind, query["fieldSelector"].ToString());
        return new WatchSelection(request.Kind.Kind, request.Kind.Namespaced && request.Namespace.Length > 0 ? request.Namespace : null, "", labels, fields);
    }

    /// <summary>Kubernetes' <c>dryRun</c>: absent or empty is a real write, <c>All</c> a dry run, anything else refused.</summary>
    private static bool DryRun(HttpContext http)
    {
        var values = http.Request.Query["dryRun"].Where(v => !string.IsNullOrEmpty(v)).ToList();
        return values.Find(v => v != "All") is { } other
            ? throw new KubeStatusException(KubeStatus.BadRequest($"dryRun: Unsupported value: \"{other}\": supported values: \"All\""))
            : values.Count > 0;
    }

    /// <summary>Kubernetes' <c>Warning</c> response headers (<c>299 - "text"</c>), which kubectl prints as <c>Warning: text</c>.</summary>
    private static void AddWarnings(HttpContext http, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings)
        {
            var text = warning.Replace("\"", "\\\"", StringComparison.Ordinal).Replace('\n', ' ');
            http.Response.Headers.Append("Warning", $"299 - \"{text}\"");
        }
    }

    /// <summary>The list position a <c>continue</c> token carries: the revision of the first page and the last key given.</summary>
    private static class ContinueToken
    {
        public static string Format(long revision, string lastKey) =>
            Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["v"] = 1, ["rv"] = revision, ["start"] = lastKey }));

        public static (long Revision, string After) Parse(string token)
        {
            try
            {
                var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
                return ((long?)node?["rv"] ?? 0, (string?)node?["start"] ?? "");
            }
            catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
            {
                throw new KubeStatusException(KubeStatus.BadRequest("continue key is not valid: " + ex.Message));
            }
        }
    }
}
