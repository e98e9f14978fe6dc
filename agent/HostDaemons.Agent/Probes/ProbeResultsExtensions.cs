using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Probes;

/// <summary>Kubernetes' reading of probe results for one container instance (the kubelet's prober manager).</summary>
internal static class ProbeResultsExtensions
{
    /// <summary>Running, and its startup probe (if any) has succeeded.</summary>
    public static bool IsStarted(this IProbeResults results, Container spec, RuntimeContainer? instance) =>
        instance?.State == ContainerRunState.Running
        && (spec.StartupProbe is null || results.Get(instance.Id, ProbeKind.Startup) == ProbeResult.Success);

    /// <summary>Started, and its readiness probe (if any) passes; before its first success it does not.</summary>
    public static bool IsReady(this IProbeResults results, Container spec, RuntimeContainer? instance) =>
        results.IsStarted(spec, instance)
        && (spec.ReadinessProbe is null || results.Get(instance!.Id, ProbeKind.Readiness) == ProbeResult.Success);

    /// <summary>The startup or liveness probe that failed and so condemns the instance to a restart, if one did.</summary>
    public static (ProbeKind Kind, Probe Probe)? FailedProbe(this IProbeResults results, Container spec, RuntimeContainer instance)
    {
        if (spec.StartupProbe is { } startup && results.Get(instance.Id, ProbeKind.Startup) == ProbeResult.Failure)
        {
            return (ProbeKind.Startup, startup);
        }

        if (spec.LivenessProbe is { } liveness && results.Get(instance.Id, ProbeKind.Liveness) == ProbeResult.Failure)
        {
            return (ProbeKind.Liveness, liveness);
        }

        return null;
    }
}
