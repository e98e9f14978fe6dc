using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HostDaemons.Hosting;

/// <summary>
/// A background loop that cannot die silently: if it throws, or returns while the host is still running, it logs,
/// sets a non-zero exit code and stops the host, so systemd's Restart= applies (works around dotnet/runtime#67146).
/// </summary>
public abstract partial class SupervisedBackgroundService(IHostApplicationLifetime lifetime, ILogger logger) : BackgroundService
{
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
            if (!stoppingToken.IsCancellationRequested)
            {
                Fail(new InvalidOperationException("the loop returned while the host was running"));
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever the cancelled work threw on its way out (a closed stream, a cancelled call) is expected.
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    protected abstract Task RunAsync(CancellationToken stoppingToken);

    private void Fail(Exception exception)
    {
        Log.LoopDied(logger, GetType().Name, exception);
        Environment.ExitCode = 1;
        lifetime.StopApplication();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 900, Level = LogLevel.Critical, Message = "{Service} stopped unexpectedly; stopping the process so that it is restarted")]
        public static partial void LoopDied(ILogger logger, string service, Exception exception);
    }
}
