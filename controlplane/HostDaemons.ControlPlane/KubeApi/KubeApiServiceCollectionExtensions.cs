using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.KubeApi;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class KubeApiServiceCollectionExtensions
{
    /// <summary>The Kubernetes REST API beside the gRPC API: its edge, and the update path it shares with hdctl.</summary>
    public static IServiceCollection AddKubernetesApi(this IServiceCollection services)
    {
        services.TryAddSingleton<ObjectWrites>();
        services.TryAddSingleton<ObjectReplacer>();
        services.TryAddSingleton<RestCalls>();
        services.TryAddSingleton<KubeApiHandler>();
        return services;
    }
}
