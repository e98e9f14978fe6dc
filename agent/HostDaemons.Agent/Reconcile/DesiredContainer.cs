using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Reconcile;

/// <summary>A container the agent should run: its pod, its place in the pod spec, and the resolved launch spec.</summary>
/// <remarks><c>JoinsSandbox</c>: the container runs in its pod sandbox's network namespace.</remarks>
internal sealed record DesiredContainer(Pod Pod, Container Container, ContainerLaunchSpec Launch, string SpecHash, bool JoinsSandbox = false)
{
    /// <summary>An app container, an init container, or a sidecar (an init container with restartPolicy Always).</summary>
    public ContainerKind Kind { get; init; } = ContainerKind.App;

    /// <summary>shareProcessNamespace: the container joins its sandbox's PID namespace too.</summary>
    public bool SharesSandboxPid { get; init; }

    /// <summary>
    /// The pod comes from the agent's manifest directory, written by the host's administrator, not from the control
    /// plane: the host policy does not apply to it. Set from where the pod was read, never from its content.
    /// </summary>
    public bool IsStatic { get; init; }

    public bool IsSidecar => Kind == ContainerKind.Sidecar;
}

/// <summary>
/// A pod the agent should run (or stop, when it is terminating), with every container resolved, and the sandbox that
/// holds its network namespace when it needs one (a pod network, several containers, or a shared process namespace;
/// never with hostNetwork).
/// </summary>
internal sealed record DesiredPod(Pod Pod, IReadOnlyList<DesiredContainer> Containers, string Owner, ContainerLaunchSpec? Sandbox = null)
{
    /// <summary>The init containers and sidecars, in the pod spec's order.</summary>
    public IReadOnlyList<DesiredContainer> InitContainers { get; init; } = [];

    public string Uid => Pod.Metadata.Uid;

    public bool NeedsSandbox => Sandbox is not null;

    public bool IsTerminating => Pod.Metadata.DeletionTimestamp is not null;

    /// <summary>Init containers (sidecars included) first, then the app containers.</summary>
    public IEnumerable<DesiredContainer> AllContainers => InitContainers.Concat(Containers);

    /// <summary>The containers that run for the pod's whole life: the sidecars and the app containers.</summary>
    public IEnumerable<DesiredContainer> LongRunning => InitContainers.Where(c => c.IsSidecar).Concat(Containers);

    public TimeSpan GracePeriod => GracePeriodOf(Pod);

    /// <summary>The grace period of the pod's stops: the one its deletion set, else its spec's, else 30 s.</summary>
    public static TimeSpan GracePeriodOf(Pod pod) => TimeSpan.FromSeconds(pod.Metadata.HasDeletionGracePeriodSeconds
        ? pod.Metadata.DeletionGracePeriodSeconds
        : pod.Spec.HasTerminationGracePeriodSeconds ? pod.Spec.TerminationGracePeriodSeconds : 30);
}
