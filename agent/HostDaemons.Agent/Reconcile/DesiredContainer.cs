using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Reconcile;

/// <summary>A container the agent should run: its pod, its place in the pod spec, and the resolved launch spec.</summary>
/// <remarks><c>JoinsSandbox</c>: the container runs in its pod sandbox's network namespace.</remarks>
internal sealed record DesiredContainer(Pod Pod, Container Container, ContainerLaunchSpec Launch, string SpecHash, bool JoinsSandbox = false);

/// <summary>
/// A pod the agent should run (or stop, when it is terminating), with every container resolved, and the sandbox that
/// gives its containers one network namespace when they need one (several containers, no hostNetwork).
/// </summary>
internal sealed record DesiredPod(Pod Pod, IReadOnlyList<DesiredContainer> Containers, string Owner, ContainerLaunchSpec? Sandbox = null)
{
    public string Uid => Pod.Metadata.Uid;

    public bool NeedsSandbox => Sandbox is not null;

    public bool IsTerminating => Pod.Metadata.DeletionTimestamp is not null;

    public TimeSpan GracePeriod => TimeSpan.FromSeconds(Pod.Metadata.HasDeletionGracePeriodSeconds
        ? Pod.Metadata.DeletionGracePeriodSeconds
        : Pod.Spec.HasTerminationGracePeriodSeconds ? Pod.Spec.TerminationGracePeriodSeconds : 30);
}
