using System.Text.Json.Nodes;
using Grpc.Core;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// The Kubernetes REST API's front door, on the gRPC port: every request is authenticated, authorized and audited by
/// <see cref="RestCalls"/>, then served from the same store and application rules as hdctl's calls. Refusals are
/// mapped to Kubernetes' Status once, here.
/// </summary>
internal sealed partial class KubeApiHandler(
    RestCalls calls,
    IObjectStore store,
    Api.ObjectWrites writes,
    Api.ObjectReplacer replacer,
    Api.StreamingCalls streaming,
    Nodes.AgentTunnels tunnels,
    AccessReviews reviews,
    RbacEscalation escalation,
    HealthCheckService health,
    OpenApi.OpenApiDocuments openApi,
    ServiceAccounts.ServiceAccountTokens serviceAccountTokens,
    WatchEventEncodings encodings,
    TimeProvider time,
    ILogger<KubeApiHandler> logger)
{
    public async Task HandleAsync(HttpContext http)
    {
        RestCallContext? call = null;
        KubeRequest? request = null;
        var verb = "get";
        int code;
        string? message = null;
        try
        {
            call = await calls.BeginAsync(http).ConfigureAwait(false);
            var path = http.Request.Path.Value ?? "/";
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (ReviewTarget(segments) is { } review && http.Request.Method == "POST")
            {
                verb = "create";
                await ReviewAsync(http, call, review.GroupVersion, review.Plural).ConfigureAwait(false);
            }
            else if (ResourceTarget(segments, http, out var problem) is { } target)
            {
                request = target;
                verb = target.Verb;
                await ServeResourceAsync(http, call, target).ConfigureAwait(false);
            }
            else if (problem is not null)
            {
                verb = http.Request.Method.ToLowerInvariant();
                throw new KubeStatusException(KubeStatus.NotFound($"the server could not find the requested resource{(problem.Length > 0 ? $" ({problem})" : "")}"));
            }
            else
            {
                verb = http.Request.Method == "GET" ? "get" : http.Request.Method.ToLowerInvariant();
                calls.Authorize(call, new AccessRequest(RestCalls.Caller(call), verb, "", "", Path: path));
                await ServeNonResourceAsync(http, call, segments).ConfigureAwait(false);
            }

            code = http.Response.StatusCode;
        }
        catch (Exception ex) when (Refusal(ex, request) is { } status)
        {
            (code, message) = (status.Code, status.Message);
            if (!http.Response.HasStarted)
            {
                await KubeJson.WriteAsync(http, status.Code, status.ToJson()).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            code = 499;
        }
        catch (Exception ex)
        {
            Log.Failed(logger, http.Request.Method, http.Request.Path, ex);
            var status = KubeStatus.Internal();
            (code, message) = (status.Code, status.Message);
            if (!http.Response.HasStarted)
            {
                await KubeJson.WriteAsync(http, status.Code, status.ToJson()).ConfigureAwait(false);
            }
        }

        calls.End(http, call, request, verb, code, message);
    }

    private static KubeStatus? Refusal(Exception ex, KubeRequest? request) => ex switch
    {
        KubeStatusException status => status.Status,
        RpcException rpc => KubeStatus.From(rpc, request),
        _ when Api.ApiErrors.FromStore(ex) is { } mapped => KubeStatus.From(mapped, request),
        _ => null,
    };

    /// <summary>The resource a path names (<c>/api/v1/...</c>, <c>/apis/GROUP/VERSION/...</c>); null for other paths.</summary>
    private static KubeRequest? ResourceTarget(string[] segments, HttpContext http, out string? problem)
    {
        problem = null;
        string apiVersion;
        int skip;
        if (segments.Length >= 3 && segments[0] == "api" && segments[1] == "v1")
        {
            (apiVersion, skip) = ("v1", 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (apiVersion, skip) = ($"{segments[1]}/{segments[2]}", 3);
        }
        else
        {
            return null;
        }

        var watch = http.Request.Query["watch"] is { Count: > 0 } w && w[0] is "true" or "1";
        return KubeRequest.Parse(http.Request.Method, ServedResources.StoredVersionOf(apiVersion), segments[skip..], watch, out problem) is { } parsed
            ? parsed with { ServedApiVersion = apiVersion }
            : null;
    }

    /// <summary>A review resource (<c>/apis/authorization.k8s.io/v1/selfsubjectaccessreviews</c>): created, answered, never stored.</summary>
    private static (string GroupVersion, string Plural)? ReviewTarget(string[] segments) =>
        segments.Length == 4 && segments[0] == "apis"
            && ServedResources.All.FirstOrDefault(r => r.GroupVersion == $"{segments[1]}/{segments[2]}" && r.Plural == segments[3] && r.Verbs is ["create"]) is { } review
            ? (review.GroupVersion, review.Plural)
            : null;

    private async Task ServeNonResourceAsync(HttpContext http, RestCallContext call, string[] segments)
    {
        var path = "/" + string.Join('/', segments);
        switch (path)
        {
            case "/version":
                await KubeJson.WriteAsync(http, 200, VersionDocument()).ConfigureAwait(false);
                return;
            case "/healthz" or "/livez" or "/readyz":
                await HealthAsync(http).ConfigureAwait(false);
                return;
            case "/.well-known/openid-configuration":
                await KubeJson.WriteAsync(http, 200, OpenIdConfiguration(http)).ConfigureAwait(false);
                return;
            case "/openid/v1/jwks":
                await KubeJson.WriteAsync(http, 200, Jwks(), "application/jwk-set+json").ConfigureAwait(false);
                return;
            case "/api":
                await WriteDiscoveryAsync(http, core: true, Discovery.ApiVersions(http.Request.Host.Value ?? "")).ConfigureAwait(false);
                return;
            case "/apis":
                await WriteDiscoveryAsync(http, core: false, Discovery.ApiGroupList()).ConfigureAwait(false);
                return;
        }

        if (segments.Length >= 2 && segments[0] == "openapi")
        {
            await OpenApiAsync(http, segments).ConfigureAwait(false);
            return;
        }

        if (segments is ["api", "v1"] || (segments.Length == 3 && segments[0] == "apis"))
        {
            var groupVersion = segments.Length == 2 ? "v1" : $"{segments[1]}/{segments[2]}";
            var list = Discovery.ResourceList(groupVersion) ?? throw new KubeStatusException(KubeStatus.NotFound("the server could not find the requested resource"));
            await KubeJson.WriteAsync(http, 200, list).ConfigureAwait(false);
            return;
        }

        throw new KubeStatusException(KubeStatus.NotFound("the server could not find the requested resource"));
    }

    private static Task WriteDiscoveryAsync(HttpContext http, bool core, JsonObject legacy) =>
        Discovery.WantsAggregated(http.Request)
            ? KubeJson.WriteAsync(http, 200, Discovery.Aggregated(core), Discovery.AggregatedContentType)
            : KubeJson.WriteAsync(http, 200, legacy);

    /// <summary><c>/version</c>: Kubernetes 1.32's API, so kubectl's dispatcher picks kubectl 1.32 and warns of no skew.</summary>
    private static JsonObject VersionDocument() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = $"v1.32.0-hostdaemons.{DaemonCommandLine.Version}",
        ["gitCommit"] = "",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "",
        ["goVersion"] = $"dotnet{Environment.Version}",
        ["compiler"] = "dotnet",
        ["platform"] = $"linux/{(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "amd64")}",
    };

    /// <summary><c>/healthz</c>, <c>/livez</c>, <c>/readyz</c>: <c>ok</c>, or each check with <c>?verbose</c>, from the same checks as gRPC health.</summary>
    private async Task HealthAsync(HttpContext http)
    {
        var report = await health.CheckHealthAsync(http.RequestAborted).ConfigureAwait(false);
        var healthy = report.Status != HealthStatus.Unhealthy;
        http.Response.StatusCode = healthy ? 200 : 500;
        http.Response.ContentType = "text/plain; charset=utf-8";
        if (!http.Request.Query.ContainsKey("verbose"))
        {
            await http.Response.WriteAsync(healthy ? "ok" : "unhealthy", http.RequestAborted).ConfigureAwait(false);
            return;
        }

        var lines = new List<string> { "[+]ping ok" };
        lines.AddRange(report.Entries.Select(e => e.Value.Status == HealthStatus.Unhealthy
            ? $"[-]{e.Key} failed: {e.Value.Description ?? "unhealthy"}"
            : $"[+]{e.Key} ok"));
        lines.Add(healthy ? $"{http.Request.Path.Value?.TrimStart('/')} check passed" : $"{http.Request.Path.Value?.TrimStart('/')} check failed");
        await http.Response.WriteAsync(string.Join('\n', lines) + "\n", http.RequestAborted).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1601, Level = LogLevel.Error, Message = "REST {Method} {Path} failed")]
        public static partial void Failed(ILogger logger, string method, string path, Exception exception);
    }
}
