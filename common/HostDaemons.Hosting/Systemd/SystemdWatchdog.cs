using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace HostDaemons.Hosting.Systemd;

/// <summary>
/// Feeds systemd's watchdog (<c>WATCHDOG=1</c> at half the timeout, only while the daemon reports itself healthy, so a
/// hung daemon is killed and restarted) and keeps the <c>STATUS=</c> line current.
/// </summary>
internal sealed partial class SystemdWatchdog(
    ISystemdNotifier notifier,
    IServiceHealth health,
    TimeSpan? timeout,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<SystemdWatchdog> logger) : SupervisedBackgroundService(lifetime, logger)
{
    private static readonly TimeSpan s_statusInterval = TimeSpan.FromSeconds(5);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var interval = timeout is { } t ? TimeSpan.FromTicks(Math.Min(t.Ticks / 2, s_statusInterval.Ticks)) : s_statusInterval;
        string? lastStatus = null;
        var wasHealthy = true;

        // A periodic timer exists from the start and keeps a tick that comes while a check runs, so no check is lost
        // to the time the loop takes between two waits.
        using var ticks = new PeriodicTimer(interval, time);
        do
        {
            var summary = health.Summary;
            if (summary != lastStatus)
            {
                notifier.Notify(new ServiceState("STATUS=" + summary));
                lastStatus = summary;
            }

            var healthy = health.IsHealthy;
            if (healthy && timeout is not null)
            {
                notifier.Notify(new ServiceState("WATCHDOG=1"));
            }

            if (healthy != wasHealthy)
            {
                if (healthy)
                {
                    Log.Recovered(logger);
                }
                else
                {
                    Log.Unhealthy(logger, summary);
                }

                wasHealthy = healthy;
            }
        }
        while (await ticks.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 910, Level = LogLevel.Warning, Message = "Unhealthy ({Summary}): the systemd watchdog is no longer fed")]
        public static partial void Unhealthy(ILogger logger, string summary);

        [LoggerMessage(EventId = 911, Level = LogLevel.Information, Message = "Healthy again: feeding the systemd watchdog")]
        public static partial void Recovered(ILogger logger);
    }
}
