using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Kubernetes' reading of a pod's initialization, shared by the planner and the status: what ran in the pod's current
/// sandbox counts (a new sandbox runs the init containers again); an init container is done once it exited 0, a
/// sidecar once it has started (running, startup probe passed); a pod whose app containers have started was
/// initialized, even if the instances of its init containers are gone since.
/// </summary>
internal static class PodInitialization
{
    /// <summary>Whether an instance ran in the pod's current sandbox: all do when the pod has none, none when it should have one and has not.</summary>
    public static Func<RuntimeContainer, bool> InCurrentSandbox(DesiredPod pod, string? sandboxId) =>
        !pod.NeedsSandbox ? _ => true
        : sandboxId is null ? _ => false
        : i => i.Get(ContainerLabels.SandboxId) == sandboxId;

    /// <summary>
    /// An app container was created in the current sandbox. Without a sandbox only a created or running one counts:
    /// after a reboot everything has exited, and the init containers' completed instances say the rest.
    /// </summary>
    public static bool AppsStarted(DesiredPod pod, IEnumerable<RuntimeContainer> instances, Func<RuntimeContainer, bool> inCurrentSandbox)
    {
        var apps = pod.Containers.Select(c => c.Container.Name).ToHashSet(StringComparer.Ordinal);
        return instances.Any(i => apps.Contains(i.Get(ContainerLabels.Container) ?? "") && inCurrentSandbox(i)
            && (pod.NeedsSandbox || i.State is ContainerRunState.Created or ContainerRunState.Running));
    }

    public static bool IsDone(DesiredContainer init, RuntimeContainer? latest, IProbeResults probes) =>
        init.IsSidecar ? probes.IsStarted(init.Container, latest) : latest is { State: ContainerRunState.Exited, ExitCode: 0 };

    /// <summary>A container's instances, newest first.</summary>
    public static List<RuntimeContainer> InstancesOf(IEnumerable<RuntimeContainer> instances, string name) =>
        [.. instances.Where(i => i.Get(ContainerLabels.Container) == name).OrderByDescending(i => i.AttemptOf()).ThenByDescending(i => i.CreatedAt)];
}
