using System.Globalization;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary><c>pods/log</c>: the same relay through the node's agent as hdctl logs, as <c>text/plain</c>, flushed as it arrives.</summary>
internal sealed partial class KubeApiHandler
{
    private async Task LogsAsync(HttpContext http, RestCallContext call, KubeRequest request)
    {
        var query = http.Request.Query;
        var options = new PodLogOptions
        {
            Container = query["container"].ToString(),
            Follow = Flag(query["follow"].ToString()),
            Previous = Flag(query["previous"].ToString()),
            Timestamps = Flag(query["timestamps"].ToString()),
        };
        if (query["tailLines"] is { Count: > 0 } tail && long.TryParse(tail[0], CultureInfo.InvariantCulture, out var lines))
        {
            options.TailLines = lines;
        }

        if (query["sinceSeconds"] is { Count: > 0 } since)
        {
            options.SinceSeconds = long.TryParse(since[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : throw new KubeStatusException(KubeStatus.BadRequest($"sinceSeconds: invalid value \"{since[0]}\": not an integer"));
        }

        if (query["sinceTime"] is { Count: > 0 } sinceTime)
        {
            options.SinceTime = DateTimeOffset.TryParse(sinceTime[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at)
                : throw new KubeStatusException(KubeStatus.BadRequest($"sinceTime: invalid value \"{sinceTime[0]}\": not an RFC 3339 time"));
        }

        long? limitBytes = query["limitBytes"] is { Count: > 0 } limit && long.TryParse(limit[0], CultureInfo.InvariantCulture, out var bytes) && bytes > 0 ? bytes : null;
        var (node, agentRequest) = PodLogRequests.Resolve(store, new LogsRequest { Namespace = request.Namespace, Pod = request.Name, Options = options });
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain";
        await streaming.RunAsync(call, async cancellationToken =>
        {
            long written = 0;
            await foreach (var data in tunnels.StreamLogsAsync(node, agentRequest, cancellationToken).ConfigureAwait(false))
            {
                var chunk = data.Memory;
                if (limitBytes is { } max && written + chunk.Length > max)
                {
                    chunk = chunk[..(int)(max - written)];
                }

                await http.Response.Body.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                await http.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                written += chunk.Length;
                if (limitBytes is { } reached && written >= reached)
                {
                    return;
                }
            }
        }).ConfigureAwait(false);
    }

    private static bool Flag(string value) => value is "true" or "1";
}
