using System.Threading.Channels;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Probes;

/// <summary>
/// Runs one probe of one container instance, as the kubelet's probe worker does: first when the initial delay since
/// the container started has passed, then every period, each run bounded by the timeout. The result flips only after
/// successThreshold successes or failureThreshold failures in a row. Readiness and liveness wait for the startup probe;
/// the startup probe stops once it succeeds; a failed liveness or startup probe stops probing, since the instance is
/// to be killed (its successor gets new workers).
/// </summary>
internal sealed partial class ProbeWorker(ProbeKind kind, Probe probe, InstanceProbes owner, IProber prober, TimeProvider time, ILogger logger)
{
    private readonly Channel<bool> _triggers = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private ProbeResult? _lastResult;
    private int _run;

    public ProbeKind Kind => kind;

    /// <summary>Completes when the worker has stopped.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(CancellationToken cancellationToken) => Completion = Task.Run(() => RunAsync(cancellationToken), CancellationToken.None);

    /// <summary>Probes now rather than at the next period (once the initial delay has passed).</summary>
    public void Trigger() => _triggers.Writer.TryWrite(true);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var period = TimeSpan.FromSeconds(Math.Max(1, probe.PeriodSeconds));
            var next = (owner.Target.Instance.StartedAt ?? time.GetUtcNow()) + TimeSpan.FromSeconds(Math.Max(0, probe.InitialDelaySeconds));
            await WaitAsync(next, wakeOnTrigger: false, cancellationToken).ConfigureAwait(false);
            _triggers.Reader.TryRead(out _);
            while (await RunOnceAsync(cancellationToken).ConfigureAwait(false))
            {
                // A ticker: the next run is a period after the last tick; a run that overran starts the next at once.
                next += period;
                var now = time.GetUtcNow();
                if (next < now)
                {
                    next = now;
                }

                while (!await WaitAsync(next, wakeOnTrigger: true, cancellationToken).ConfigureAwait(false))
                {
                    if (!await RunOnceAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.WorkerFailed(logger, owner.Target.PodName, owner.Target.ContainerName, kind, ex);
        }
    }

    /// <returns>False when the worker is done with this instance.</returns>
    private async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (kind != ProbeKind.Startup && !owner.IsStarted)
        {
            return true;
        }

        ProbeOutcome outcome;
        try
        {
            outcome = await prober.ProbeAsync(kind, probe, owner.Target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = ProbeOutcome.Failure(ex.Message);
        }

        // Stopped while probing: the instance is gone or changed, and nobody asks about it any more.
        cancellationToken.ThrowIfCancellationRequested();
        if (outcome.Result == _lastResult)
        {
            _run++;
        }
        else
        {
            _lastResult = outcome.Result;
            _run = 1;
        }

        var threshold = Math.Max(1, outcome.Result == ProbeResult.Success ? probe.SuccessThreshold : probe.FailureThreshold);
        if (outcome.Result == ProbeResult.Failure)
        {
            Log.ProbeFailed(logger, owner.Target.PodName, owner.Target.ContainerName, kind, _run, threshold, outcome.Message);
        }

        if (_run < threshold)
        {
            return true;
        }

        owner.Set(kind, outcome);
        return outcome.Result switch
        {
            ProbeResult.Failure => kind == ProbeKind.Readiness,
            _ => kind != ProbeKind.Startup,
        };
    }

    /// <returns>True at <paramref name="due"/>, false when a trigger came first.</returns>
    private async Task<bool> WaitAsync(DateTimeOffset due, bool wakeOnTrigger, CancellationToken cancellationToken)
    {
        var delay = due - time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        if (!wakeOnTrigger)
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            return true;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var elapsed = Task.Delay(delay, time, wake.Token);
        var triggered = _triggers.Reader.WaitToReadAsync(wake.Token).AsTask();
        var first = await Task.WhenAny(elapsed, triggered).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (first == elapsed)
        {
            return true;
        }

        _triggers.Reader.TryRead(out _);
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 310, Level = LogLevel.Debug, Message = "Pod {Pod} container {Container}: {Kind} probe failed ({Run}/{Threshold}): {Message}")]
        public static partial void ProbeFailed(ILogger logger, string pod, string container, ProbeKind kind, int run, int threshold, string message);

        [LoggerMessage(EventId = 311, Level = LogLevel.Error, Message = "Pod {Pod} container {Container}: the {Kind} probe worker failed")]
        public static partial void WorkerFailed(ILogger logger, string pod, string container, ProbeKind kind, Exception exception);
    }
}
