using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Compares the pods the node should run with the containers Docker has and says what to do, pod by pod: adopt
/// what matches (no restart just because the agent restarted), create what is missing, restart what exited (with
/// back-off), kill what failed its liveness or startup probe, replace what changed, stop what is no longer wanted.
/// It does no I/O and changes no state (the restart tracker and probe results are only read), so a plan that is
/// dropped costs nothing and every case is a unit test.
/// </summary>
internal static class PodPlanner
{
    /// <param name="desired">The pods this node should run, including terminating ones.</param>
    /// <param name="actual">Every container labelled with this node.</param>
    /// <param name="authoritative">False until the agent knows its assignments: then it adopts and starts, but stops nothing it does not know.</param>
    /// <param name="restarts">Back-off and instance numbering, read only.</param>
    /// <param name="probes">Probe results: a running instance whose liveness or startup probe failed is killed. None when omitted.</param>
    public static ReconcilePlan Plan(IReadOnlyCollection<DesiredPod> desired, IReadOnlyList<RuntimeContainer> actual, bool authoritative, RestartTracker restarts, IProbeResults? probes = null) =>
        Plan(desired, actual, new SourceAuthority(authoritative, authoritative), restarts, probes);

    /// <param name="desired">The pods this node should run, from both sources, including terminating ones.</param>
    /// <param name="actual">Every container labelled with this node.</param>
    /// <param name="authority">
    /// Which source is known: a container it does not recognise is stopped only when the source it came from (by its
    /// owner label: static pods or assigned pods) has been read, so neither source's start-up stops the other's pods.
    /// </param>
    /// <param name="restarts">Back-off and instance numbering, read only.</param>
    /// <param name="probes">Probe results: a running instance whose liveness or startup probe failed is killed. None when omitted.</param>
    public static ReconcilePlan Plan(IReadOnlyCollection<DesiredPod> desired, IReadOnlyList<RuntimeContainer> actual, SourceAuthority authority, RestartTracker restarts, IProbeResults? probes = null)
    {
        probes ??= NoProbeResults.Instance;
        var work = new List<PodPlan>();
        var terminated = new List<DesiredPod>();
        TimeSpan? wakeUp = null;
        var byPod = actual.GroupBy(c => c.Get(ContainerLabels.PodUid) ?? "").ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        foreach (var pod in desired)
        {
            var instances = byPod.GetValueOrDefault(pod.Uid) ?? [];
            byPod.Remove(pod.Uid);
            if (pod.IsTerminating)
            {
                if (instances.Count == 0)
                {
                    terminated.Add(pod);
                }
                else
                {
                    work.Add(new PodPlan(pod.Uid, pod.Pod.Metadata.Name, [.. instances.Select(i => Stop(i, pod.GracePeriod, "pod is being deleted"))]));
                }

                continue;
            }

            var commands = new List<PodCommand>();
            var sandboxes = pod.NeedsSandbox ? instances.Where(i => i.IsSandbox()).ToList() : [];
            var sandbox = sandboxes.Where(s => s.State == ContainerRunState.Running).MaxBy(s => s.AttemptOf());
            if (pod.NeedsSandbox && sandbox is null)
            {
                work.Add(new PodPlan(pod.Uid, pod.Pod.Metadata.Name, NewSandbox(pod, instances, restarts)));
                continue;
            }

            commands.AddRange(sandboxes.Where(s => s != sandbox).Select(s => (PodCommand)new RemoveContainerCommand(s, ContainerLabels.SandboxContainerName)));
            foreach (var container in pod.Containers)
            {
                var name = container.Container.Name;
                var mine = instances.Where(i => i.Get(ContainerLabels.Container) == name)
                    .OrderByDescending(i => i.AttemptOf()).ThenByDescending(i => i.CreatedAt).ToList();
                var wait = PlanContainer(pod, container, mine, sandbox?.Id, restarts, probes, commands);
                if (wait is { } w && (wakeUp is null || w < wakeUp))
                {
                    wakeUp = w;
                }
            }

            var known = pod.Containers.Select(c => c.Container.Name).ToHashSet(StringComparer.Ordinal);
            commands.AddRange(instances.Where(i => !known.Contains(i.Get(ContainerLabels.Container) ?? "") && !sandboxes.Contains(i))
                .Select(i => Stop(i, pod.GracePeriod, "no longer in the pod spec")));
            if (commands.Count > 0)
            {
                work.Add(new PodPlan(pod.Uid, pod.Pod.Metadata.Name, commands));
            }
        }

        foreach (var (uid, all) in byPod)
        {
            var orphans = all.Where(authority.MayStop).ToList();
            if (orphans.Count > 0)
            {
                work.Add(new PodPlan(uid, orphans[0].Get(ContainerLabels.Pod) ?? uid, [.. orphans.Select(o => Stop(o, o.GracePeriodOf(),
                    SourceAuthority.IsStatic(o) ? "its static pod manifest is gone" : "pod is no longer assigned to this node"))]));
            }
        }

        return new ReconcilePlan(work, terminated, wakeUp);
    }

    /// <summary>
    /// The pod's network namespace is gone (or never was): its containers cannot keep running without it, so they are
    /// stopped and come back inside a new sandbox, as Kubernetes recreates a pod whose sandbox died.
    /// </summary>
    private static List<PodCommand> NewSandbox(DesiredPod pod, List<RuntimeContainer> instances, RestartTracker restarts)
    {
        var commands = new List<PodCommand>();
        var sandboxKey = RestartTracker.Key(pod.Uid, ContainerLabels.SandboxContainerName);
        var highestSandbox = -1;
        foreach (var old in instances)
        {
            if (old.IsSandbox())
            {
                highestSandbox = Math.Max(highestSandbox, old.AttemptOf());
                commands.Add(new RemoveContainerCommand(old, ContainerLabels.SandboxContainerName));
            }
            else if (old.State is ContainerRunState.Running or ContainerRunState.Created or ContainerRunState.Restarting or ContainerRunState.Paused)
            {
                commands.Add(Stop(old, pod.GracePeriod, "its pod sandbox is gone"));
            }
        }

        commands.Add(new CreateSandboxCommand(pod, restarts.NextAttempt(sandboxKey, highestSandbox)));
        foreach (var container in pod.Containers)
        {
            var key = RestartTracker.Key(pod.Uid, container.Container.Name);
            var highest = instances.Where(i => i.Get(ContainerLabels.Container) == container.Container.Name).Select(i => i.AttemptOf()).DefaultIfEmpty(-1).Max();
            commands.Add(new CreateContainerCommand(container, restarts.NextAttempt(key, highest)));
        }

        return commands;
    }

    /// <returns>How long until this container needs another look (a back-off ending), if it does.</returns>
    private static TimeSpan? PlanContainer(DesiredPod pod, DesiredContainer container, List<RuntimeContainer> instances, string? sandboxId,
        RestartTracker restarts, IProbeResults probes, List<PodCommand> commands)
    {
        var name = container.Container.Name;
        var key = RestartTracker.Key(pod.Uid, name);
        var latest = instances.FirstOrDefault();
        var next = restarts.NextAttempt(key, latest?.AttemptOf() ?? -1);

        // Keep the latest instance and, unless it is the one that exited, the one before it (for --previous and lastState).
        var keep = latest?.State is ContainerRunState.Running or ContainerRunState.Created ? 2 : 1;
        commands.AddRange(instances.Skip(keep).Select(old => old.State == ContainerRunState.Running
            ? (PodCommand)Stop(old, pod.GracePeriod, "superseded by a newer instance")
            : new RemoveContainerCommand(old, name)));

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

        // A running container outside the pod's current sandbox has lost its network: it is replaced like a changed one.
        var outsideSandbox = sandboxId is not null && latest.State == ContainerRunState.Running && latest.Get(ContainerLabels.SandboxId) != sandboxId;
        if (latest.Get(ContainerLabels.SpecHash) != container.SpecHash || outsideSandbox)
        {
            // The old instance keeps running while a failed pull of the new image waits for its retry.
            if (failureWait > TimeSpan.Zero)
            {
                return failureWait;
            }

            commands.Add(Stop(latest, pod.GracePeriod, outsideSandbox ? "it is outside the pod's sandbox" : "its spec changed"));
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

                var finished = latest.FinishedAt ?? restarts.Time.GetUtcNow();
                var wait = restarts.CrashWait(key, container.SpecHash, finished);
                if (wait > TimeSpan.Zero)
                {
                    return wait;
                }

                // The exited instance stays for `logs --previous`; older ones go.
                commands.Add(new CreateContainerCommand(container, next, finished, sandboxId));
                return null;
            case ContainerRunState.Running when probes.FailedProbe(container.Container, latest) is { } failed:
                if (failureWait > TimeSpan.Zero)
                {
                    return failureWait;
                }

                var grace = failed.Probe.HasTerminationGracePeriodSeconds ? TimeSpan.FromSeconds(failed.Probe.TerminationGracePeriodSeconds) : pod.GracePeriod;
                commands.Add(new KillContainerCommand(latest, name, grace, $"{failed.Kind.ToString().ToLowerInvariant()} probe failed"));
                return null;
            default:
                return null;
        }
    }

    private static StopContainerCommand Stop(RuntimeContainer instance, TimeSpan grace, string reason) =>
        new(instance, instance.Get(ContainerLabels.Container) ?? instance.Name, grace, reason);
}
