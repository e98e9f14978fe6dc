using HostDaemons.ControlPlane.KubeApi;

namespace Microsoft.AspNetCore.Builder;

public static class KubeApiEndpoints
{
    /// <summary>Kubernetes' paths, on the same port as gRPC (whose paths are <c>/hostdaemons.v1.Service/Method</c>).</summary>
    public static IEndpointRouteBuilder MapKubernetesApi(this IEndpointRouteBuilder endpoints)
    {
        var handler = endpoints.ServiceProvider.GetRequiredService<KubeApiHandler>();
        RequestDelegate serve = handler.HandleAsync;
        foreach (var pattern in new[] { "/api", "/api/{**rest}", "/apis", "/apis/{**rest}", "/version", "/healthz", "/livez", "/readyz", "/openapi/{**rest}", "/.well-known/openid-configuration", "/openid/v1/jwks" })
        {
            endpoints.Map(pattern, serve);
        }

        return endpoints;
    }
}
