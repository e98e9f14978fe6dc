using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Probes;

/// <summary>The container instance a probe runs against, with its pod (network, ports) as the agent resolved it.</summary>
internal sealed record ProbeTarget(DesiredContainer Container, RuntimeContainer Instance)
{
    public string PodName => Container.Pod.Metadata.Name;

    public string ContainerName => Container.Container.Name;

    /// <summary>True when the pod shares the host's network: probes connect from the agent as they are.</summary>
    public bool HostNetwork => Container.Pod.Spec.HostNetwork;
}
