using HostDaemons.Agent;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Desired;
using HostDaemons.Agent.Events;
using HostDaemons.Agent.Hosting;
using HostDaemons.Agent.Joining;
using HostDaemons.Agent.Lifecycle;
using HostDaemons.Agent.Network;
using HostDaemons.Agent.Policy;
using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.ServiceAccounts;
using HostDaemons.Agent.StaticPods;
using HostDaemons.Agent.Status;
using HostDaemons.Agent.Volumes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class AgentServiceCollectionExtensions
{
    /// <summary>The agent: options, the Docker runtime, assignments, the reconcile loop and the control plane link.</summary>
    public static IServiceCollection AddHostDaemonsAgent(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<AgentOptions, AgentOptionsValidator>().BindConfiguration(AgentOptions.SectionName)
            .PostConfigure(AgentOptions.ResolveDirectories);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentOptions>, AgentOptionsCrossValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<IContainerRuntime>(sp => new DockerContainerRuntime(
            sp.GetRequiredService<IOptions<AgentOptions>>().Value.EffectiveDockerEndpoint,
            sp.GetRequiredService<ILogger<DockerContainerRuntime>>()));
        services.TryAddSingleton<PodNetwork>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            return new NodeContext(options.EffectiveNodeName, HostAddress.Detect(), Path.Combine(options.StateDir, "pods"),
                new ContainerLogLimits(options.LogMaxSize, options.LogMaxFiles), sp.GetRequiredService<PodNetwork>(),
                Path.Combine(options.StateDir, "seccomp"), ApiServerAddress(options));
        });
        services.TryAddSingleton(sp => HostPolicy.From(sp.GetRequiredService<IOptions<AgentOptions>>().Value, sp.GetRequiredService<NodeContext>()));
        services.TryAddSingleton<PodVolumes>();
        services.TryAddSingleton<AtomicWriter>();
        services.TryAddSingleton<ProjectedVolumes>();
        services.TryAddSingleton(sp => NodeAllocatable.Detect(sp.GetRequiredService<IOptions<AgentOptions>>().Value.StateDir));
        services.TryAddSingleton<PodTokens>();
        services.TryAddSingleton(sp => new ServiceAccountVolume(sp.GetRequiredService<NodeContext>(), sp.GetRequiredService<PodTokens>(),
            sp.GetRequiredService<ProjectedVolumes>(), sp.GetRequiredService<NodeClientFactory>(), sp.GetRequiredService<NodeCredentials>(),
            sp.GetRequiredService<ILogger<ServiceAccountVolume>>()));
        services.TryAddSingleton<ContainerPreparer>();
        services.TryAddSingleton<PodDataRefresh>();
        services.TryAddSingleton<TerminationMessages>();
        services.TryAddSingleton<ReconcileSignal>();
        services.TryAddSingleton<RestartTracker>();
        services.TryAddSingleton<ContainerLifecycle>();
        services.TryAddSingleton<PodWorkers>();
        services.TryAddSingleton<IProber, Prober>();
        services.TryAddSingleton<ProbeManager>();
        services.TryAddSingleton<IProbeResults>(sp => sp.GetRequiredService<ProbeManager>());
        services.TryAddSingleton<AssignedPods>();
        services.TryAddSingleton<StaticPodSet>();
        services.TryAddSingleton<StatusReporter>();
        services.TryAddSingleton<PodEventRecorder>();
        services.TryAddSingleton<NodeCredentials>();
        services.TryAddSingleton<NodeClientFactory>();
        services.TryAddSingleton<NodeEnrollment>();
        services.TryAddSingleton<IPullCredentialSource, PullCredentialSource>();
        services.TryAddSingleton<ReferencedObjectSource>();
        services.TryAddSingleton<IReferencedObjectSource>(sp => sp.GetRequiredService<ReferencedObjectSource>());
        services.TryAddSingleton<LogRequestHandler>();
        services.TryAddSingleton<Reconciler>();
        services.TryAddSingleton<ControlPlaneSession>();
        services.TryAddSingleton<DockerEventWatcher>();
        services.TryAddSingleton<StaticPodSource>();

        // Hosted services start in this order: the manifest directory is read before the reconciler's first pass.
        services.AddHostedService(sp => sp.GetRequiredService<StaticPodSource>());
        services.AddHostedService<DockerReadiness>();
        services.AddHostedService<PodNetworkSelector>();
        services.AddHostedService(sp => sp.GetRequiredService<Reconciler>());
        services.AddHostedService(sp => sp.GetRequiredService<DockerEventWatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<ControlPlaneSession>());
        services.AddHostedService<NodeCertificateRenewal>();
        services.AddHostedService(sp => sp.GetRequiredService<ReferencedObjectSource>());
        services.AddHostedService(sp => sp.GetRequiredService<PodTokens>());
        services.AddSystemdWatchdog<AgentHealth>();
        return services;
    }

    /// <summary><c>--api-server-address</c>, else the host and port of <c>--server</c> (both checked by the options' validation).</summary>
    private static ApiServerEndpoint? ApiServerAddress(AgentOptions options) =>
        ApiServerEndpoint.TryParse(options.ApiServerAddress.Length > 0 ? options.ApiServerAddress : options.Server, out var endpoint) ? endpoint : null;
}
