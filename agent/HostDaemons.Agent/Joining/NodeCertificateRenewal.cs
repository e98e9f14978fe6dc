using System.Security.Cryptography;
using Grpc.Core;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Hosting;

namespace HostDaemons.Agent.Joining;

/// <summary>
/// Renews the node certificate at a random 50-80 % of its life (<see cref="RenewalSchedule"/>), and again after each
/// renewal or join. A failed renewal is tried again, every tenth of the time left (between 5 s and 5 min), until it
/// works or the certificate expires; then the session joins again with the token, if the node still has one.
/// </summary>
internal sealed partial class NodeCertificateRenewal(
    NodeClientFactory clients,
    NodeEnrollment enrollment,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<NodeCertificateRenewal> logger) : SupervisedBackgroundService(lifetime, logger)
{
    private static readonly TimeSpan s_minRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_maxRetry = TimeSpan.FromMinutes(5);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!clients.IsTls)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, stoppingToken).ConfigureAwait(false);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = enrollment.Changed;
            if (clients.Credentials.Certificate is not { } certificate)
            {
                await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }

            var notAfter = certificate.NotAfter.ToUniversalTime();
            var renewAt = RenewalSchedule.RenewAt(certificate.NotBefore.ToUniversalTime(), notAfter, Random.Shared.NextDouble());
            Log.Scheduled(logger, certificate.SerialNumber, renewAt);
            if (!await WaitUntilAsync(renewAt, changed, stoppingToken).ConfigureAwait(false))
            {
                continue;
            }

            while (!stoppingToken.IsCancellationRequested && !changed.IsCompleted && time.GetUtcNow() < notAfter)
            {
                try
                {
                    await enrollment.RenewAsync(stoppingToken).ConfigureAwait(false);
                    break;
                }
                catch (Exception ex) when (ex is RpcException or IOException or HttpRequestException or JoinFailedException or CryptographicException)
                {
                    var retry = TimeSpan.FromTicks(Math.Clamp((notAfter - time.GetUtcNow()).Ticks / 10, s_minRetry.Ticks, s_maxRetry.Ticks));
                    Log.RenewalFailed(logger, ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message, retry);
                    await WaitUntilAsync(time.GetUtcNow() + retry, changed, stoppingToken).ConfigureAwait(false);
                }
            }

            if (!changed.IsCompleted)
            {
                // Expired without a renewal: the session joins again (with the token, when there is one); wait for it.
                await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits until <paramref name="at"/>; false when the certificate changed first.</summary>
    private async Task<bool> WaitUntilAsync(DateTimeOffset at, Task changed, CancellationToken stoppingToken)
    {
        var wait = at - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return true;
        }

        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = LongDelay.UntilAsync(time, at, delayCancellation.Token);
        var first = await Task.WhenAny(delay, changed).ConfigureAwait(false);
        await delayCancellation.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
        return first == delay;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 504, Level = LogLevel.Debug, Message = "The node certificate {Serial} will be renewed at {RenewAt:u}")]
        public static partial void Scheduled(ILogger logger, string serial, DateTimeOffset renewAt);

        [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "Could not renew the node certificate ({Reason}); trying again in {Retry}")]
        public static partial void RenewalFailed(ILogger logger, string reason, TimeSpan retry);
    }
}
