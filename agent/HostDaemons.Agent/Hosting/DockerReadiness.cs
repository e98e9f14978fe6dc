using HostDaemons.Agent.Runtime;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Hosting;

/// <summary>
/// Holds the host's start until Docker answers: systemd's READY=1 (sent once every service has started) then means
/// the agent can run containers, and units ordered after it start against a working agent.
/// </summary>
internal sealed partial class DockerReadiness(IContainerRuntime runtime, TimeProvider time, IOptions<AgentOptions> options, ILogger<DockerReadiness> logger) : IHostedService
{
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var info = await runtime.GetInfoAsync(cancellationToken).ConfigureAwait(false);
                Log.Reached(logger, info.Name, info.Version);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (attempt == 1 || attempt % 10 == 0)
                {
                    Log.Waiting(logger, options.Value.EffectiveDockerEndpoint, ex.Message);
                }
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxDelay.Ticks));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Reached the container engine: {Name} {Version}")]
        public static partial void Reached(ILogger logger, string name, string version);

        [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Waiting for Docker at {Endpoint}: {Reason}")]
        public static partial void Waiting(ILogger logger, Uri endpoint, string reason);
    }
}
