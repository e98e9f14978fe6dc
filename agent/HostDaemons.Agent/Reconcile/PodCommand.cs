using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Reconcile;

/// <summary>One step of a plan. Each names the container it acts on, for logs and for per-container back-off.</summary>
internal abstract record PodCommand(string ContainerName);

/// <summary>
/// Pulls the image when the pull policy asks for it, then creates and starts a new instance. <c>RestartOf</c> is set
/// when it replaces an instance that exited: when that one finished, for the crash back-off. <c>SandboxId</c> is the
/// running sandbox to join; when null, the one created earlier in the same plan.
/// </summary>
internal sealed record CreateContainerCommand(DesiredContainer Container, int Attempt, DateTimeOffset? RestartOf = null, string? SandboxId = null) : PodCommand(Container.Container.Name)
{
    public override string ToString() => $"create {Container.Container.Name} (attempt {Attempt}) from {Container.Launch.Image}";
}

/// <summary>Creates and starts the pod's sandbox; the pod's containers created after it in the same plan join it.</summary>
internal sealed record CreateSandboxCommand(DesiredPod Pod, int Attempt) : PodCommand(ContainerLabels.SandboxContainerName)
{
    public override string ToString() => $"create the pod sandbox (attempt {Attempt})";
}

/// <summary>Starts an instance that was created but never started (the agent stopped in between).</summary>
internal sealed record StartContainerCommand(RuntimeContainer Instance, string Name) : PodCommand(Name)
{
    public override string ToString() => $"start {Instance.Name}";
}

/// <summary>
/// Stops an instance with a grace period (its preStop hook first, inside it), then removes it. Consecutive stops of a
/// plan run together; one waits for those of a lower <c>Order</c> (the pod's app containers before its sidecars, the
/// sandbox last) before it sends the stop signal, with what is left of its grace period.
/// </summary>
internal sealed record StopContainerCommand(RuntimeContainer Instance, string Name, TimeSpan GracePeriod, string Reason, int Order = 0) : PodCommand(Name)
{
    public override string ToString() => $"stop {Instance.Name} ({Reason}, grace {GracePeriod.TotalSeconds}s)";
}

/// <summary>
/// Stops an instance with a grace period (its preStop hook first) and keeps it: a failed liveness or startup probe. The exited instance then
/// takes the normal restart path (crash back-off, restart count plus one) and stays for <c>logs --previous</c>.
/// </summary>
internal sealed record KillContainerCommand(RuntimeContainer Instance, string Name, TimeSpan GracePeriod, string Reason) : PodCommand(Name)
{
    public override string ToString() => $"kill {Instance.Name} ({Reason}, grace {GracePeriod.TotalSeconds}s)";
}

/// <summary>Removes an instance that is no longer running and no longer needed.</summary>
internal sealed record RemoveContainerCommand(RuntimeContainer Instance, string Name) : PodCommand(Name)
{
    public override string ToString() => $"remove {Instance.Name}";
}

/// <summary>The commands for one pod (or for the orphans of one vanished pod), run in order; pods run in parallel.</summary>
internal sealed record PodPlan(string PodUid, string PodName, IReadOnlyList<PodCommand> Commands);

/// <summary>A full reconcile plan: per-pod work, the terminating pods that are now gone, and when to look again.</summary>
internal sealed record ReconcilePlan(IReadOnlyList<PodPlan> Work, IReadOnlyList<DesiredPod> Terminated, TimeSpan? WakeUpAfter);
