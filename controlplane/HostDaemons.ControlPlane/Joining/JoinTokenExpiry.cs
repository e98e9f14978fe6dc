using HostDaemons.Hosting;

namespace HostDaemons.ControlPlane.Joining;

/// <summary>Deletes expired join tokens, every minute and at start (kube-controller-manager's token cleaner).</summary>
internal sealed partial class JoinTokenExpiry(
    JoinTokens tokens,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<JoinTokenExpiry> logger) : SupervisedBackgroundService(lifetime, logger)
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            foreach (var id in await tokens.PurgeExpiredAsync(stoppingToken).ConfigureAwait(false))
            {
                Log.Purged(logger, id);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 746, Level = LogLevel.Information, Message = "Deleted expired join token {TokenId}")]
        public static partial void Purged(ILogger logger, string tokenId);
    }
}
