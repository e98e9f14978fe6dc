using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Compares the pods the node should run with the containers Docker has and says what to do, pod by pod: adopt
/// what matches (no restart just because the agent restarted), run the init containers in order and keep the sidecars
/// running, create what is missing, restart what exited (with back-off), kill what failed its liveness or startup
/// probe, replace what changed (a container, or a sandbox made for other network settings), stop what is no longer
/// wanted (app containers before sidecars). It does no I/O and changes no state (the restart tracker and probe results
/// are only read), so a plan that is dropped costs nothing and every case is a unit test.
/// </summary>
internal static partial class PodPlanner
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
        var wakeUp = new WakeUp();
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
                    work.Add(new PodPlan(pod.Uid, pod.Pod.Metadata.Name, Terminate(pod, instances)));
                }

                continue;
            }

            var commands = PlanPod(pod, instances, restarts, probes, wakeUp);
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
                var reason = SourceAuthority.IsStatic(orphans[0]) ? "its static pod manifest is gone" : "pod is no longer assigned to this node";
                work.Add(new PodPlan(uid, orphans[0].Get(ContainerLabels.Pod) ?? uid, [.. orphans.Select(o => Stop(o, o.GracePeriodOf(), reason))]));
            }
        }

        return new ReconcilePlan(work, terminated, wakeUp.After);
    }

    private static List<PodCommand> PlanPod(DesiredPod pod, List<RuntimeContainer> instances, RestartTracker restarts, IProbeResults probes, WakeUp wakeUp)
    {
        var commands = new List<PodCommand>();
        var sandboxes = instances.Where(i => i.IsSandbox()).ToList();
        RuntimeContainer? sandbox = null;
        if (pod.NeedsSandbox)
        {
            sandbox = CurrentSandbox(sandboxes);
            if (sandbox is null || !PodSandboxSpec.Matches(sandbox, pod.Sandbox!))
            {
                return NewSandbox(pod, instances, sandbox is null ? "its pod sandbox is gone" : "its pod sandbox was made for other network settings", restarts, probes, wakeUp);
            }

            commands.AddRange(sandboxes.Where(s => s != sandbox).Select(s => (PodCommand)new RemoveContainerCommand(s, ContainerLabels.SandboxContainerName)));
        }

        var containers = instances.Where(i => !i.IsSandbox()).ToList();
        PlanContainers(pod, containers, sandbox?.Id, newSandbox: false, restarts, probes, commands, wakeUp);

        var known = pod.AllContainers.Select(c => c.Container.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = containers.Where(i => !known.Contains(i.Get(ContainerLabels.Container) ?? ""));
        if (!pod.NeedsSandbox)
        {
            unknown = unknown.Concat(sandboxes);
        }

        commands.AddRange(unknown.Select(i => Stop(i, pod.GracePeriod, "no longer in the pod spec")));
        return commands;
    }

    /// <summary>The running sandbox of a pod (the newest, should there be several).</summary>
    public static RuntimeContainer? CurrentSandbox(IEnumerable<RuntimeContainer> instances) =>
        instances.Where(s => s.IsSandbox() && s.State == ContainerRunState.Running).MaxBy(s => s.AttemptOf());

    /// <summary>
    /// The pod's network namespace is gone, never was, or was made for other settings (the agent's pod network
    /// changed): its containers cannot keep running without it, so they are stopped and come back inside a new
    /// sandbox, init containers first, as Kubernetes recreates a pod whose sandbox died.
    /// </summary>
    private static List<PodCommand> NewSandbox(DesiredPod pod, List<RuntimeContainer> instances, string reason, RestartTracker restarts, IProbeResults probes, WakeUp wakeUp)
    {
        var commands = new List<PodCommand>();
        var sandboxKey = RestartTracker.Key(pod.Uid, ContainerLabels.SandboxContainerName);
        if (restarts.FailureWait(sandboxKey) is var failed && failed > TimeSpan.Zero)
        {
            wakeUp.At(failed);
            return commands;
        }

        var highestSandbox = -1;
        foreach (var old in instances)
        {
            if (old.IsSandbox())
            {
                highestSandbox = Math.Max(highestSandbox, old.AttemptOf());
                commands.Add(old.State == ContainerRunState.Running
                    ? Stop(old, TimeSpan.Zero, reason)
                    : new RemoveContainerCommand(old, ContainerLabels.SandboxContainerName));
            }
            else if (old.State is ContainerRunState.Running or ContainerRunState.Created or ContainerRunState.Restarting or ContainerRunState.Paused)
            {
                commands.Add(Stop(old, pod.GracePeriod, reason, StopOrder(pod, old)));
            }
        }

        commands.Add(new CreateSandboxCommand(pod, restarts.NextAttempt(sandboxKey, highestSandbox)));
        PlanContainers(pod, [.. instances.Where(i => !i.IsSandbox())], sandboxId: null, newSandbox: true, restarts, probes, commands, wakeUp);
        return commands;
    }

    /// <summary>A sandbox holds nothing worth a grace period: it is killed.</summary>
    private static TimeSpan StopGrace(RuntimeContainer instance, TimeSpan grace) => instance.IsSandbox() ? TimeSpan.Zero : grace;

    /// <summary>A graceful stop; a sandbox is killed, and last (<see cref="StopContainerCommand.Order"/>).</summary>
    private static StopContainerCommand Stop(RuntimeContainer instance, TimeSpan grace, string reason, int order = 0) =>
        new(instance, instance.Get(ContainerLabels.Container) ?? instance.Name, StopGrace(instance, grace), reason, instance.IsSandbox() ? int.MaxValue : order);

    /// <summary>
    /// When a container stops among its pod's: app containers (and init containers) first, then the sidecars in the
    /// reverse of their order, as the kubelet terminates a pod with sidecars.
    /// </summary>
    private static int StopOrder(DesiredPod pod, RuntimeContainer instance)
    {
        var sidecars = pod.InitContainers.Where(c => c.IsSidecar).Select(c => c.Container.Name).ToList();
        var index = sidecars.IndexOf(instance.Get(ContainerLabels.Container) ?? "");
        return index < 0 ? 0 : sidecars.Count - index;
    }

    /// <summary>Collects the earliest moment any container of the plan needs another look.</summary>
    private sealed class WakeUp
    {
        public TimeSpan? After { get; private set; }

        public void At(TimeSpan? wait)
        {
            if (wait is { } w && (After is null || w < After))
            {
                After = w;
            }
        }
    }
}
