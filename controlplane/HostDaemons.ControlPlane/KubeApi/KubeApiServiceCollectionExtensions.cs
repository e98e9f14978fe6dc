using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.KubeApi;
using HostDaemons.ControlPlane.KubeApi.OpenApi;
using HostDaemons.Model.Patching;
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
        services.TryAddSingleton<WatchEventEncodings>();
        services.TryAddSingleton<KubeApiHandler>();
        services.TryAddSingleton(new OpenApiDocuments(field => PatchStrategies.For(field) is { } meta
            ? new PatchMetadata(meta.Strategy, meta.MergeKey, meta.ListType.ToString().ToLowerInvariant(), meta.ListMapKeys)
            : null));
        return services;
    }
}
