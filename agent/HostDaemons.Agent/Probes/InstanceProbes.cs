using System.Collections.Concurrent;
using HostDaemons.Agent.Events;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Probes;

/// <summary>
/// The probes of one container instance: a worker per probe and their current results. Readiness starts as a failure
/// (not ready until it first passes), liveness as a success, startup with no result. Created when the instance is seen
/// running, disposed when it is not, so a new instance always starts from scratch.
/// </summary>
internal sealed partial class InstanceProbes : IDisposable
{
    private readonly ConcurrentDictionary<ProbeKind, ProbeResult> _results = new();
    private readonly List<ProbeWorker> _workers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ReconcileSignal _signal;
    private readonly ILogger _logger;

    public InstanceProbes(ProbeTarget target, IProber prober, ReconcileSignal signal, PodEventRecorder events, TimeProvider time, ILogger logger)
    {
        Target = target;
        _signal = signal;
        Events = events;
        _logger = logger;
        var spec = target.Container.Container;
        foreach (var (kind, probe) in new[] { (ProbeKind.Startup, spec.StartupProbe), (ProbeKind.Liveness, spec.LivenessProbe), (ProbeKind.Readiness, spec.ReadinessProbe) })
        {
            if (probe is not null)
            {
                _workers.Add(new ProbeWorker(kind, probe, this, prober, time, logger));
            }
        }

        if (spec.ReadinessProbe is not null)
        {
            _results[ProbeKind.Readiness] = ProbeResult.Failure;
        }

        if (spec.LivenessProbe is not null)
        {
            _results[ProbeKind.Liveness] = ProbeResult.Success;
        }
    }

    public ProbeTarget Target { get; }

    public PodEventRecorder Events { get; }

    /// <summary>No startup probe, or it has succeeded: readiness and liveness may run.</summary>
    public bool IsStarted => Target.Container.Container.StartupProbe is null || Get(ProbeKind.Startup) == ProbeResult.Success;

    public static bool HasProbes(Container spec) => spec.StartupProbe is not null || spec.LivenessProbe is not null || spec.ReadinessProbe is not null;

    public ProbeResult? Get(ProbeKind kind) => _results.TryGetValue(kind, out var result) ? result : null;

    /// <summary>Still the same run of the same instance, with the same probes: a restarted container or a changed probe starts over.</summary>
    public bool Matches(DesiredContainer container, RuntimeContainer instance)
    {
        var mine = Target.Container.Container;
        var theirs = container.Container;
        return Target.Instance.Id == instance.Id
            && Target.Instance.StartedAt == instance.StartedAt
            && Target.Instance.Pid == instance.Pid
            && Equals(mine.StartupProbe, theirs.StartupProbe)
            && Equals(mine.LivenessProbe, theirs.LivenessProbe)
            && Equals(mine.ReadinessProbe, theirs.ReadinessProbe)
            && mine.Ports.Equals(theirs.Ports);
    }

    public void Start()
    {
        foreach (var worker in _workers)
        {
            worker.Start(_stop.Token);
        }
    }

    /// <summary>Stops every worker; the token source goes once they have all ended.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _ = Task.WhenAll(_workers.Select(w => w.Completion)).ContinueWith(_ => _stop.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Waits for every worker to end (tests and shutdown).</summary>
    public Task Completion => Task.WhenAll(_workers.Select(w => w.Completion));

    /// <summary>A worker's result after its thresholds: a change is logged and wakes the reconciler.</summary>
    public void Set(ProbeKind kind, ProbeOutcome outcome)
    {
        var previous = Get(kind);
        _results[kind] = outcome.Result;
        if (previous == outcome.Result)
        {
            return;
        }

        var probe = kind.ToString().ToLowerInvariant();
        if (outcome.Result == ProbeResult.Success)
        {
            Log.Passing(_logger, Target.PodName, Target.ContainerName, probe);
        }
        else if (kind == ProbeKind.Readiness)
        {
            Log.NotReady(_logger, Target.PodName, Target.ContainerName, outcome.Message);
        }
        else
        {
            Events.Normal(Target.Container.Pod, "Killing", $"Container {Target.ContainerName} failed {probe} probe, will be restarted", Target.ContainerName);
        }

        // Started: the readiness probe runs at once, as the kubelet triggers it when it sees a started, unready container.
        if (kind == ProbeKind.Startup && outcome.Result == ProbeResult.Success)
        {
            foreach (var worker in _workers.Where(w => w.Kind == ProbeKind.Readiness))
            {
                worker.Trigger();
            }
        }

        _signal.Trigger();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "Pod {Pod} container {Container}: {Probe} probe passing")]
        public static partial void Passing(ILogger logger, string pod, string container, string probe);

        [LoggerMessage(EventId = 321, Level = LogLevel.Information, Message = "Pod {Pod} container {Container}: not ready, readiness probe failing: {Message}")]
        public static partial void NotReady(ILogger logger, string pod, string container, string message);

    }
}
