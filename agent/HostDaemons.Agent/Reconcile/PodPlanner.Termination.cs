using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Reconcile;

internal static partial class PodPlanner
{
    /// <summary>
    /// A pod being deleted: every container stops with the pod's grace period (its preStop hook first), the app
    /// containers together, the sidecars after them in reverse order, and the sandbox last.
    /// </summary>
    private static List<PodCommand> Terminate(DesiredPod pod, List<RuntimeContainer> instances) =>
        [.. instances.Select(i => Stop(i, pod.GracePeriod, "pod is being deleted", StopOrder(pod, i))).OrderBy(s => s.Order)];
}
