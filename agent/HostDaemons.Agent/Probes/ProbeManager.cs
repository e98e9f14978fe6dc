using System.Collections.Concurrent;
using HostDaemons.Agent.Events;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Probes;

/// <summary>
/// Keeps a set of probe workers for every running container instance that has probes: the reconciler calls
/// <see cref="Sync"/> on each pass with what should run and what runs, and reads results through
/// <see cref="IProbeResults"/>. Workers run on their own, wake the reconciler when a result changes, and record the
/// kubelet's events (Unhealthy for a failed run, Killing when a liveness or startup probe condemns the container).
/// </summary>
internal sealed partial class ProbeManager(IProber prober, ReconcileSignal signal, PodEventRecorder events, TimeProvider time, ILogger<ProbeManager> logger) : IProbeResults, IDisposable
{
    private readonly ConcurrentDictionary<string, InstanceProbes> _instances = new(StringComparer.Ordinal);

    public ProbeResult? Get(string containerId, ProbeKind kind) =>
        _instances.TryGetValue(containerId, out var probes) ? probes.Get(kind) : null;

    /// <summary>The container ids being probed.</summary>
    public IReadOnlyCollection<string> Probed => [.. _instances.Keys];

    /// <summary>
    /// Starts workers for the latest instance of every container with probes that runs (and is not being deleted),
    /// and stops those of instances that no longer run or are no longer wanted.
    /// </summary>
    public void Sync(IReadOnlyCollection<DesiredPod> desired, IReadOnlyList<RuntimeContainer> actual)
    {
        var latest = actual
            .Where(c => c.Get(ContainerLabels.PodUid) is not null && c.Get(ContainerLabels.Container) is not null)
            .GroupBy(c => RestartTracker.Key(c.Get(ContainerLabels.PodUid)!, c.Get(ContainerLabels.Container)!), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.AttemptOf()).ThenByDescending(c => c.CreatedAt).First(), StringComparer.Ordinal);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in desired.Where(p => !p.IsTerminating))
        {
            foreach (var container in pod.LongRunning.Where(c => InstanceProbes.HasProbes(c.Container)))
            {
                if (!latest.TryGetValue(RestartTracker.Key(pod.Uid, container.Container.Name), out var instance) || instance.State != ContainerRunState.Running)
                {
                    continue;
                }

                wanted.Add(instance.Id);
                if (_instances.TryGetValue(instance.Id, out var existing))
                {
                    if (existing.Matches(container, instance))
                    {
                        continue;
                    }

                    existing.Dispose();
                }

                var probes = new InstanceProbes(new ProbeTarget(container, instance), prober, signal, events, time, logger);
                _instances[instance.Id] = probes;
                Log.Probing(logger, pod.Pod.Metadata.Name, container.Container.Name, instance.Name);
                probes.Start();
            }
        }

        foreach (var (id, probes) in _instances)
        {
            if (!wanted.Contains(id) && _instances.TryRemove(id, out _))
            {
                Log.Stopped(logger, probes.Target.PodName, probes.Target.ContainerName, probes.Target.Instance.Name);
                probes.Dispose();
            }
        }
    }

    /// <summary>Waits for every worker of the instances being probed (tests).</summary>
    public Task DrainAsync() => Task.WhenAll(_instances.Values.Select(i => i.Completion));

    public void Dispose()
    {
        foreach (var id in _instances.Keys)
        {
            if (_instances.TryRemove(id, out var probes))
            {
                probes.Dispose();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Pod {Pod} container {Container}: probing instance {Instance}")]
        public static partial void Probing(ILogger logger, string pod, string container, string instance);

        [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Pod {Pod} container {Container}: stopped probing instance {Instance}")]
        public static partial void Stopped(ILogger logger, string pod, string container, string instance);
    }
}
