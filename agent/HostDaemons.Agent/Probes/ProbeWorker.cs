using System.Threading.Channels;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Probes;

/// <summary>
/// Runs one probe of one container instance, as the kubelet's probe worker does: first when the initial delay since
/// the container started has passed, then every period (a ticker: a tick that comes while a run is still going waits
/// for it, more are dropped), each run bounded by the timeout. The result flips only after successThreshold successes
/// or failureThreshold failures in a row. Readiness and liveness wait for the startup probe; the startup probe stops
/// once it succeeds; a failed liveness or startup probe stops probing, since the instance is to be killed (its
/// successor gets new workers).
/// </summary>
internal sealed partial class ProbeWorker(ProbeKind kind, Probe probe, InstanceProbes owner, IProber prober, TimeProvider time, ILogger logger)
{
    private readonly Channel<bool> _ticks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private DateTimeOffset _firstDue;
    private ProbeResult? _lastResult;
    private int _run;
    private int _ticked;

    public ProbeKind Kind => kind;

    /// <summary>Completes when the worker has stopped.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Sets the ticker on the caller's thread, so its ticks are fixed by the clock at this moment (on a test's clock,
    /// no later advance can overtake the set-up), then runs until cancelled or done.
    /// </summary>
    public void Start(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var period = TimeSpan.FromSeconds(Math.Max(1, probe.PeriodSeconds));
        _firstDue = (owner.Target.Instance.StartedAt ?? now) + TimeSpan.FromSeconds(Math.Max(0, probe.InitialDelaySeconds));
        var firstTick = _firstDue - now;
        if (firstTick <= TimeSpan.Zero)
        {
            Tick();
            firstTick = period;
        }

        var ticker = time.CreateTimer(_ => Tick(), null, firstTick, period);
        Completion = Task.Run(() => RunAsync(ticker, cancellationToken), CancellationToken.None);
    }

    /// <summary>Probes now rather than at the next tick (once the initial delay has passed).</summary>
    public void Trigger() => _ticks.Writer.TryWrite(true);

    private void Tick()
    {
        Interlocked.Exchange(ref _ticked, 1);
        _ticks.Writer.TryWrite(true);
    }

    private async Task RunAsync(ITimer ticker, CancellationToken cancellationToken)
    {
        try
        {
            while (await _ticks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _ticks.Reader.TryRead(out _);
                if (!await RunOnceAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
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
        finally
        {
            await ticker.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <returns>False when the worker is done with this instance.</returns>
    private async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        // Ticks come at or after the initial delay by construction (a timer may fire a hair early); a trigger may not.
        var ticked = Interlocked.Exchange(ref _ticked, 0) == 1;
        if ((!ticked && time.GetUtcNow() < _firstDue) || (kind != ProbeKind.Startup && !owner.IsStarted))
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
            Log.RunFailed(logger, owner.Target.PodName, owner.Target.ContainerName, kind, _run, threshold, outcome.Message);
            owner.Events.Warning(owner.Target.Container.Pod, "Unhealthy", $"{kind} probe failed: {outcome.Message}", owner.Target.ContainerName);
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 310, Level = LogLevel.Debug, Message = "Pod {Pod} container {Container}: {Kind} probe failed ({Run} of {Threshold} in a row): {Message}")]
        public static partial void RunFailed(ILogger logger, string pod, string container, ProbeKind kind, int run, int threshold, string message);

        [LoggerMessage(EventId = 311, Level = LogLevel.Error, Message = "Pod {Pod} container {Container}: the {Kind} probe worker failed")]
        public static partial void WorkerFailed(ILogger logger, string pod, string container, ProbeKind kind, Exception exception);
    }
}
