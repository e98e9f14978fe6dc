using HostDaemons.Hosting;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// Renews the serving certificate at two thirds of its life, by a timer on the <see cref="TimeProvider"/>; open
/// connections keep the certificate they started with. Idle in development mode, which serves no TLS.
/// </summary>
internal sealed partial class ServingCertificateRenewal(
    IServiceProvider services,
    ListenEndpoint listen,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<ServingCertificateRenewal> logger) : SupervisedBackgroundService(lifetime, logger)
{
    /// <summary>A renewal that failed (a full disk) is tried again after this long.</summary>
    private static readonly TimeSpan s_retry = TimeSpan.FromMinutes(1);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!listen.IsTls)
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
            return;
        }

        var pki = services.GetRequiredService<ClusterPki>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var renewAt = pki.ServingRenewalTime;
            if (renewAt > time.GetUtcNow())
            {
                await LongDelay.UntilAsync(time, renewAt, stoppingToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                pki.RenewServingCertificate();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                Log.RenewalFailed(logger, ex);
                await Task.Delay(s_retry, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 710, Level = LogLevel.Error, Message = "Renewing the serving certificate failed; trying again in a minute")]
        public static partial void RenewalFailed(ILogger logger, Exception exception);
    }
}
