using System.Globalization;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// <c>/openapi/v3</c> and its per-group-version documents, served as kube-apiserver serves them: the index with an
/// ETag, a document at its current hash cached for a year, an old hash redirected to the current one.
/// </summary>
internal sealed partial class KubeApiHandler
{
    private async Task OpenApiAsync(HttpContext http, string[] segments)
    {
        if (segments is ["openapi", "v3"])
        {
            http.Response.Headers.ETag = $"\"{openApi.IndexHash}\"";
            await WriteBytesAsync(http, openApi.Index()).ConfigureAwait(false);
            return;
        }

        var path = string.Join('/', segments.Skip(2));
        if (segments.Length < 3 || segments[1] != "v3" || !openApi.TryGet(path, out var json, out var hash))
        {
            throw new KubeStatusException(KubeStatus.NotFound("the server could not find the requested resource"));
        }

        http.Response.Headers.Vary = "Accept";
        http.Response.Headers.ETag = $"\"{hash}\"";
        var asked = http.Request.Query["hash"].ToString();
        if (asked.Length > 0 && asked != hash)
        {
            http.Response.StatusCode = 301;
            http.Response.Headers.Location = $"/openapi/v3/{path}?hash={hash}";
            return;
        }

        if (asked.Length > 0)
        {
            http.Response.Headers.CacheControl = "public, immutable";
            http.Response.Headers.Expires = time.GetUtcNow().AddYears(1).ToString("R", CultureInfo.InvariantCulture);
        }

        await WriteBytesAsync(http, json).ConfigureAwait(false);
    }

    private static async Task WriteBytesAsync(HttpContext http, ReadOnlyMemory<byte> json)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = KubeJson.ContentType;
        await http.Response.Body.WriteAsync(json, http.RequestAborted).ConfigureAwait(false);
    }
}
