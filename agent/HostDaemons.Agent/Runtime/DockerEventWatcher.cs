using HostDaemons.Agent.Reconcile;
using HostDaemons.Hosting;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Runtime;

/// <summary>Turns Docker's container events for this node into reconcile passes, so a container that dies or is
/// removed behind the agent's back is dealt with at once, not at the next resync.</summary>
internal sealed partial class DockerEventWatcher(
    IContainerRuntime runtime,
    ReconcileSignal signal,
    TimeProvider time,
    IOptions<AgentOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DockerEventWatcher> logger) : SupervisedBackgroundService(lifetime, logger)
{
    private static readonly HashSet<string> s_relevant = new(StringComparer.Ordinal) { "create", "start", "die", "destroy", "oom", "stop", "kill", "pause", "unpause" };

    public bool IsConnected { get; private set; }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IsConnected = true;
                await foreach (var e in runtime.WatchEventsAsync(options.Value.EffectiveNodeName, stoppingToken).ConfigureAwait(false))
                {
                    failures = 0;
                    if (s_relevant.Contains(e.Action))
                    {
                        signal.Trigger();
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                IsConnected = false;
                failures++;
                Log.EventsLost(logger, ex.Message);
            }

            await Task.Delay(Backoff.Exponential(failures + 1, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30)), time, stoppingToken).ConfigureAwait(false);

            // Whatever happened while the stream was down is found by a full pass.
            signal.Trigger();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 70, Level = LogLevel.Warning, Message = "Lost Docker's event stream ({Reason}); reconnecting")]
        public static partial void EventsLost(ILogger logger, string reason);
    }
}
