using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Reconcile;

internal static partial class PodPlanner
{
    /// <summary>
    /// Plans a pod's containers inside its sandbox (or without one): while the pod is not initialized, its init
    /// containers one at a time in order (the next only once the one before has exited 0, or, for a sidecar, has
    /// started); then its app containers; and for the pod's whole life its sidecars.
    /// </summary>
    /// <remarks>
    /// <c>instances</c> are the pod's containers (no sandbox); <c>sandboxId</c> is its running sandbox, null when it has
    /// none or gets a new one earlier in this plan (<c>newSandbox</c>: nothing has run in it yet).
    /// </remarks>
    private static void PlanContainers(DesiredPod pod, List<RuntimeContainer> instances, string? sandboxId, bool newSandbox,
        RestartTracker restarts, IProbeResults probes, List<PodCommand> commands, WakeUp wakeUp)
    {
        if (newSandbox)
        {
            // Nothing has run in it yet: the first init container, or without any, every app container.
            foreach (var container in pod.InitContainers.Count > 0 ? [pod.InitContainers[0]] : pod.Containers)
            {
                var highest = PodInitialization.InstancesOf(instances, container.Container.Name).Select(i => i.AttemptOf()).DefaultIfEmpty(-1).Max();
                commands.Add(new CreateContainerCommand(container, restarts.NextAttempt(RestartTracker.Key(pod.Uid, container.Container.Name), highest)));
            }

            return;
        }

        var inCurrentSandbox = PodInitialization.InCurrentSandbox(pod, sandboxId);
        var initialized = pod.InitContainers.Count == 0 || PodInitialization.AppsStarted(pod, instances, inCurrentSandbox);
        if (initialized)
        {
            foreach (var init in pod.InitContainers)
            {
                var mine = PodInitialization.InstancesOf(instances, init.Container.Name);
                if (init.IsSidecar)
                {
                    wakeUp.At(PlanContainer(pod, init, mine, sandboxId, restarts, probes, commands));
                }
                else
                {
                    // Done with: only its last run stays, for logs and its status.
                    commands.AddRange(mine.Skip(1).Where(i => i.State != ContainerRunState.Running).Select(i => new RemoveContainerCommand(i, init.Container.Name)));
                }
            }
        }
        else
        {
            initialized = true;
            foreach (var init in pod.InitContainers)
            {
                var mine = PodInitialization.InstancesOf(instances, init.Container.Name);
                if (!PlanInitStep(pod, init, mine, inCurrentSandbox, sandboxId, restarts, probes, commands, wakeUp))
                {
                    initialized = false;
                    break;
                }
            }
        }

        if (!initialized)
        {
            return;
        }

        foreach (var container in pod.Containers)
        {
            wakeUp.At(PlanContainer(pod, container, PodInitialization.InstancesOf(instances, container.Container.Name), sandboxId, restarts, probes, commands));
        }
    }

    /// <summary>One init container of a pod being initialized.</summary>
    /// <returns>True when it is done (exited 0, or a sidecar that has started) and the next may start.</returns>
    private static bool PlanInitStep(DesiredPod pod, DesiredContainer init, List<RuntimeContainer> instances, Func<RuntimeContainer, bool> inCurrentSandbox,
        string? sandboxId, RestartTracker restarts, IProbeResults probes, List<PodCommand> commands, WakeUp wakeUp)
    {
        var name = init.Container.Name;
        var key = RestartTracker.Key(pod.Uid, name);
        var latest = instances.FirstOrDefault(inCurrentSandbox);
        var next = restarts.NextAttempt(key, instances.FirstOrDefault()?.AttemptOf() ?? -1);
        if (latest is not null && PodInitialization.IsDone(init, latest, probes))
        {
            return true;
        }

        RemoveSuperseded(pod, name, instances, commands);
        var failureWait = restarts.FailureWait(key);
        if (failureWait > TimeSpan.Zero)
        {
            wakeUp.At(failureWait);
            return false;
        }

        switch (latest?.State)
        {
            case null:
                commands.Add(new CreateContainerCommand(init, next, SandboxId: sandboxId));
                break;
            case ContainerRunState.Running or ContainerRunState.Created when latest.Get(ContainerLabels.SpecHash) != init.SpecHash:
                commands.Add(Stop(latest, pod.GracePeriod, "its spec changed"));
                commands.Add(new CreateContainerCommand(init, next, SandboxId: sandboxId));
                break;
            case ContainerRunState.Created:
                commands.Add(new StartContainerCommand(latest, name));
                break;
            case ContainerRunState.Running when probes.FailedProbe(init.Container, latest) is { } failed:
                commands.Add(Kill(pod, latest, name, failed));
                break;
            case ContainerRunState.Exited or ContainerRunState.Dead when init.IsSidecar || pod.Pod.Spec.RestartPolicy != "Never":
                wakeUp.At(Restart(pod, init, latest, next, sandboxId, restarts, commands));
                break;
        }

        // Running (a sidecar not started yet, an init container still at work), or failed for good (restartPolicy Never).
        return false;
    }

    /// <returns>How long until this container needs another look (a back-off ending), if it does.</returns>
    private static TimeSpan? PlanContainer(DesiredPod pod, DesiredContainer container, List<RuntimeContainer> instances, string? sandboxId,
        RestartTracker restarts, IProbeResults probes, List<PodCommand> commands)
    {
        var name = container.Container.Name;
        var key = RestartTracker.Key(pod.Uid, name);
        var latest = instances.FirstOrDefault();
        var next = restarts.NextAttempt(key, latest?.AttemptOf() ?? -1);

        RemoveSuperseded(pod, name, instances, commands);
        var failureWait = restarts.FailureWait(key);
        if (latest is null)
        {
            if (failureWait > TimeSpan.Zero)
            {
                return failureWait;
            }

            commands.Add(new CreateContainerCommand(container, next, SandboxId: sandboxId));
            return null;
        }

        // A running container outside the pod's current sandbox (or in one the pod no longer has) has lost its
        // network: it is replaced like a changed one.
        var outsideSandbox = latest.State == ContainerRunState.Running && latest.Get(ContainerLabels.SandboxId) != sandboxId;
        if (latest.Get(ContainerLabels.SpecHash) != container.SpecHash || outsideSandbox)
        {
            // The old instance keeps running while a failed pull of the new image waits for its retry.
            if (failureWait > TimeSpan.Zero)
            {
                return failureWait;
            }

            commands.Add(Stop(latest, pod.GracePeriod, outsideSandbox ? "it is outside the pod's sandbox" : "its spec changed", StopOrder(pod, latest)));
            commands.Add(new CreateContainerCommand(container, next, SandboxId: sandboxId));
            return null;
        }

        switch (latest.State)
        {
            case ContainerRunState.Created:
                if (failureWait > TimeSpan.Zero)
                {
                    return failureWait;
                }

                commands.Add(new StartContainerCommand(latest, name));
                return null;
            case ContainerRunState.Exited or ContainerRunState.Dead:
                if (failureWait > TimeSpan.Zero)
                {
                    return failureWait;
                }

                return Restart(pod, container, latest, next, sandboxId, restarts, commands);
            case ContainerRunState.Running when probes.FailedProbe(container.Container, latest) is { } failed:
                if (failureWait > TimeSpan.Zero)
                {
                    return failureWait;
                }

                commands.Add(Kill(pod, latest, name, failed));
                return null;
            default:
                return null;
        }
    }

    /// <summary>Keeps the latest instance and, unless it is the one that exited, the one before it (for --previous and lastState).</summary>
    private static void RemoveSuperseded(DesiredPod pod, string name, List<RuntimeContainer> instances, List<PodCommand> commands)
    {
        var keep = instances.FirstOrDefault()?.State is ContainerRunState.Running or ContainerRunState.Created ? 2 : 1;
        commands.AddRange(instances.Skip(keep).Select(old => old.State == ContainerRunState.Running
            ? (PodCommand)Stop(old, pod.GracePeriod, "superseded by a newer instance", StopOrder(pod, old))
            : new RemoveContainerCommand(old, name)));
    }

    /// <summary>Restarts an exited instance once its crash back-off is over; the exited one stays for <c>logs --previous</c>.</summary>
    /// <returns>The back-off left, when it is not over.</returns>
    private static TimeSpan? Restart(DesiredPod pod, DesiredContainer container, RuntimeContainer exited, int next, string? sandboxId, RestartTracker restarts, List<PodCommand> commands)
    {
        var finished = exited.FinishedAt ?? restarts.Time.GetUtcNow();
        var wait = restarts.CrashWait(RestartTracker.Key(pod.Uid, container.Container.Name), container.SpecHash, finished);
        if (wait > TimeSpan.Zero)
        {
            return wait;
        }

        commands.Add(new CreateContainerCommand(container, next, finished, sandboxId));
        return null;
    }

    /// <summary>A failed liveness or startup probe: stopped with the probe's grace period (else the pod's), and kept.</summary>
    private static KillContainerCommand Kill(DesiredPod pod, RuntimeContainer instance, string name, (ProbeKind Kind, Model.V1.Probe Probe) failed)
    {
        var grace = failed.Probe.HasTerminationGracePeriodSeconds ? TimeSpan.FromSeconds(failed.Probe.TerminationGracePeriodSeconds) : pod.GracePeriod;
        return new KillContainerCommand(instance, name, grace, $"{failed.Kind.ToString().ToLowerInvariant()} probe failed");
    }
}
