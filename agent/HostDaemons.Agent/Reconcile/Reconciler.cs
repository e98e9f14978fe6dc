using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Desired;
using HostDaemons.Agent.Events;
using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Volumes;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.StaticPods;
using HostDaemons.Agent.Status;
using HostDaemons.Hosting;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// The agent's loop: on every trigger (an assignment change, a Docker event, work finishing, a back-off ending) and at
/// least every resync period, it lists this node's containers, plans, starts the per-pod work and reports status.
/// One pass at a time; passes are cheap because slow work runs on the pod workers. It runs two sources of desired
/// pods: those assigned by the control plane and the static pods of the manifest directory.
/// </summary>
internal sealed partial class Reconciler(
    AssignedPods assigned,
    IContainerRuntime runtime,
    NodeContext nodeContext,
    PodVolumes volumes,
    PodWorkers workers,
    RestartTracker restarts,
    ProbeManager probes,
    StatusReporter reporter,
    ReconcileSignal signal,
    TimeProvider time,
    IOptions<AgentOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<Reconciler> logger,
    PodEventRecorder? events = null,
    StaticPodSet? staticPods = null,
    PodDataRefresh? podData = null,
    TerminationMessages? terminationMessages = null) : SupervisedBackgroundService(lifetime, logger)
{
    private readonly Dictionary<string, (string Version, DesiredPod Pod)> _built = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodStatus> _statuses = new(StringComparer.Ordinal);
    private int _failures;

    /// <summary>When the last pass completed without error: the watchdog's measure of health.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>The number of pods whose containers all run, for the status line.</summary>
    public int RunningPods { get; private set; }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var node = options.Value.EffectiveNodeName;
        signal.Trigger();
        while (!stoppingToken.IsCancellationRequested)
        {
            await signal.WaitAsync(options.Value.ResyncPeriod, stoppingToken).ConfigureAwait(false);
            try
            {
                await ReconcileOnceAsync(node, stoppingToken).ConfigureAwait(false);
                _failures = 0;
                LastSuccess = time.GetUtcNow();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                _failures++;
                Log.PassFailed(logger, ex);
                signal.TriggerAfter(Backoff.Exponential(_failures + 1, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30)));
            }
        }

        await workers.DrainAsync().ConfigureAwait(false);
    }

    internal async Task ReconcileOnceAsync(string node, CancellationToken cancellationToken)
    {
        var desired = Desired().Select(Build).ToList();
        podData?.Sync(desired);

        // A pod whose work is under way while the engine is listed may be missing a container the list cannot show
        // yet: it sits out this pass, and its work ending triggers the next one.
        var busyWhileListing = workers.BusyPods();
        var actual = await runtime.ListContainersAsync(node, cancellationToken).ConfigureAwait(false);
        foreach (var container in actual)
        {
            if (container.Get(ContainerLabels.PodUid) is { } uid && container.Get(ContainerLabels.Container) is { } name)
            {
                restarts.Observe(RestartTracker.Key(uid, name), container.AttemptOf());
            }
        }

        probes.Sync(desired, actual);

        // A pod being deleted does not wait for a postStart hook that may never end.
        foreach (var pod in desired.Where(p => p.IsTerminating && workers.IsBusy(p.Uid)))
        {
            workers.InterruptHooks(pod.Uid);
        }

        var plan = PodPlanner.Plan(desired, actual, new SourceAuthority(assigned.IsKnown, staticPods?.IsListed ?? assigned.IsKnown), restarts, probes);
        foreach (var work in plan.Work.Where(w => !busyWhileListing.Contains(w.PodUid) && !workers.IsBusy(w.PodUid)))
        {
            workers.Start(work, cancellationToken);
        }

        if (plan.WakeUpAfter is { } wait)
        {
            signal.TriggerAfter(wait + TimeSpan.FromMilliseconds(50));
        }

        ReportStatus(desired, actual, plan);
    }

    private void ReportStatus(List<DesiredPod> desired, IReadOnlyList<RuntimeContainer> actual, ReconcilePlan plan)
    {
        var now = time.GetUtcNow();
        var byPod = actual.ToLookup(c => c.Get(ContainerLabels.PodUid) ?? "", StringComparer.Ordinal);
        var running = 0;
        foreach (var pod in desired.Where(p => !p.IsTerminating))
        {
            var previous = _statuses.GetValueOrDefault(pod.Uid);
            var status = PodStatusBuilder.Build(pod, [.. byPod[pod.Uid]], restarts, previous, nodeContext.HostIp, now, probes, workers.Lifecycle.IsStarting);
            terminationMessages?.Apply(status, [.. byPod[pod.Uid]]);
            RecordBackOffs(pod, previous, status);
            _statuses[pod.Uid] = status;
            reporter.Offer(pod.Pod, status);
            if (status.ContainerStatuses.All(c => c.State?.Running is not null))
            {
                running++;
            }
        }

        RunningPods = running;
        terminationMessages?.Retain(actual);
        foreach (var pod in plan.Terminated.Where(p => !workers.IsBusy(p.Uid)))
        {
            reporter.OfferTerminated(pod.Pod);
        }

        var live = desired.Select(p => p.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var uid in _statuses.Keys.Where(u => !live.Contains(u)).ToList())
        {
            _statuses.Remove(uid);
            _built.Remove(uid);
        }

        // A pod's restart state goes once the pod is neither assigned nor has containers left.
        foreach (var uid in restarts.PodUids.Where(u => !live.Contains(u) && !byPod.Contains(u) && !workers.IsBusy(u)).ToList())
        {
            restarts.Forget(uid);
        }

        if (assigned.IsKnown && staticPods?.IsListed != false)
        {
            SweepVolumes(live, byPod);
        }

        reporter.Retain(live);
    }

    /// <summary>A container entering a back-off is an event, as the kubelet reports it.</summary>
    private void RecordBackOffs(DesiredPod pod, PodStatus? previous, PodStatus status)
    {
        if (events is null)
        {
            return;
        }

        foreach (var container in status.InitContainerStatuses.Concat(status.ContainerStatuses))
        {
            var reason = container.State?.Waiting?.Reason;
            var before = previous?.InitContainerStatuses.Concat(previous.ContainerStatuses).FirstOrDefault(c => c.Name == container.Name)?.State?.Waiting?.Reason;
            if (reason == before)
            {
                continue;
            }

            var meta = pod.Pod.Metadata;
            if (reason == "CrashLoopBackOff")
            {
                events.Warning(pod.Pod, "BackOff", $"Back-off restarting failed container {container.Name} in pod {meta.Name}_{meta.Namespace}({meta.Uid})", container.Name);
            }
            else if (reason == "ImagePullBackOff")
            {
                events.Normal(pod.Pod, "BackOff", $"Back-off pulling image \"{container.Image}\"", container.Name);
            }
        }
    }

    /// <summary>Removes the emptyDirs of pods that are gone: no longer assigned and without containers.</summary>
    private void SweepVolumes(HashSet<string> live, ILookup<string, RuntimeContainer> byPod)
    {
        var root = nodeContext.PodVolumeRoot;
        var candidates = Directory.Exists(root) ? Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>() : [];
        var memoryRoot = PodVolumePaths.MemoryRoot(nodeContext);
        if (Directory.Exists(memoryRoot))
        {
            candidates = candidates.Concat(Directory.GetDirectories(memoryRoot).Select(Path.GetFileName).OfType<string>());
        }

        foreach (var uid in candidates.Distinct(StringComparer.Ordinal).Where(u => !live.Contains(u) && !byPod.Contains(u) && !workers.IsBusy(u)).ToList())
        {
            volumes.Remove(uid);
        }
    }

    /// <summary>
    /// The pods of both sources. A static pod wins a uid clash with an assigned pod: it is the node's own
    /// configuration and needs no control plane. Mirror pods (the control plane's copies of static pods) are never run
    /// as assigned pods: the static pod itself runs.
    /// </summary>
    private IEnumerable<(Pod Pod, bool IsStatic)> Desired()
    {
        var statics = staticPods?.Current ?? [];
        if (statics.Count == 0)
        {
            return assigned.Current.Where(p => !p.IsMirror()).Select(p => (p, false));
        }

        var uids = statics.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        return assigned.Current.Where(p => !p.IsMirror() && !uids.Contains(p.Metadata.Uid)).Select(p => (p, false)).Concat(statics.Select(p => (p, true)));
    }

    private DesiredPod Build((Pod Pod, bool IsStatic) source)
    {
        var (pod, isStatic) = source;
        var version = pod.Metadata.ResourceVersion;
        if (_built.TryGetValue(pod.Metadata.Uid, out var built) && built.Version == version && version.Length > 0
            && built.Pod.AllContainers.All(c => c.IsStatic == isStatic))
        {
            return built.Pod;
        }

        var desired = ContainerSpecBuilder.Build(pod, nodeContext, isStatic);
        _built[pod.Metadata.Uid] = (version, desired);
        return desired;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 50, Level = LogLevel.Error, Message = "Reconcile pass failed; retrying")]
        public static partial void PassFailed(ILogger logger, Exception exception);
    }
}
