namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>PATCH: strategic merge, JSON merge and JSON patches, and server-side apply, each then an update.</summary>
internal sealed partial class KubeApiHandler
{
    private static Task PatchAsync(HttpContext http, RestCallContext call, KubeRequest request) =>
        throw new KubeStatusException(KubeStatus.UnsupportedMediaType($"the patch type {http.Request.ContentType} is not supported yet ({request.Kind.Plural}, {call.MethodName})"));
}
