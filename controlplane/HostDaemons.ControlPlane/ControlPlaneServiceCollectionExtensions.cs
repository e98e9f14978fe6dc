using HostDaemons.ControlPlane;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Hosting;
using HostDaemons.ControlPlane.Joining;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Security;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ControlPlaneServiceCollectionExtensions
{
    /// <summary>The control plane: options, the embedded store, the DaemonSet controller, node tracking and the gRPC APIs.</summary>
    public static IServiceCollection AddHostDaemonsControlPlane(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<ControlPlaneOptions, ControlPlaneOptionsValidator>()
            .BindConfiguration(ControlPlaneOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControlPlaneOptions>, ControlPlaneOptionsCrossValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddNodeJoining();
        services.AddControlPlaneAuditing();
        services.AddServiceAccountTokens();
        services.AddTokenFileAuthentication();
        services.AddControlPlaneSecurity();
        services.AddControlPlaneAuthorization();
        services.AddKubernetesApi();

        services.TryAddSingleton<IStorageBackend>(sp =>
            new SqliteStorageBackend(Path.Combine(sp.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.DataDir, "store.db")));
        services.TryAddSingleton<ObjectStore>();
        services.TryAddSingleton<IObjectStore>(sp => sp.GetRequiredService<ObjectStore>());

        services.TryAddSingleton<PodTerminator>();
        services.TryAddSingleton<ObjectApplier>();
        services.TryAddSingleton(sp => new PodSecurityAdmission(sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<IOptions<ControlPlaneOptions>>(),
            sp.GetService<IAccessAuthorizer>()));
        services.TryAddSingleton<EventRecorder>();
        services.AddHostedService<EventExpiry>();
        services.TryAddSingleton<StoreRetryPolicy>();
        services.TryAddSingleton<NodeLeases>();
        services.TryAddSingleton<NodeAssignmentHub>();
        services.TryAddSingleton<AgentTunnels>();
        services.TryAddSingleton<MirrorPods>();
        services.TryAddSingleton<StreamingCalls>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeAssignmentHub>());
        services.AddHostedService(sp => sp.GetRequiredService<NodeLeases>());
        services.AddHostedService<SystemPriorityClassBootstrap>();
        services.AddHostedService<DaemonSetController>();
        services.AddHostedService<NamespaceController>();
        services.AddHostedService<ServiceAccountController>();
        services.AddHostedService<EndpointSliceController>();

        services.AddGrpc(o =>
        {
            o.Interceptors.Add<AuditInterceptor>();
            o.Interceptors.Add<AuthenticationInterceptor>();
            o.Interceptors.Add<AuthorizationInterceptor>();
            o.Interceptors.Add<RequestSizeInterceptor>();
            o.Interceptors.Add<NodeCallTracking>();
            o.Interceptors.Add<ErrorMappingInterceptor>();
            o.EnableDetailedErrors = false;
            o.MaxReceiveMessageSize = InputLimits.MaxGrpcReceiveBytes;
        });
        services.AddGrpcHealthChecks().AddCheck<AuditLogHealthCheck>("audit-log");
        services.AddSystemdWatchdog<ControlPlaneHealth>();
        return services;
    }
}
