using HostDaemons.Agent.Runtime;
using HostDaemons.Hosting;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Network;

/// <summary>
/// Chooses the pod network at start, once Docker answers (it runs after <see cref="Hosting.DockerReadiness"/>) and
/// before the first reconcile pass: the network <c>--pod-network</c> names, which must exist; without the flag, Docker's
/// <c>bridge</c>, or <c>none</c> with a warning when the engine has no such network (<c>dockerd --bridge=none</c>).
/// </summary>
internal sealed partial class PodNetworkSelector(IContainerRuntime runtime, PodNetwork network, IOptions<AgentOptions> options, ILogger<PodNetworkSelector> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var requested = options.Value.PodNetwork;
        if (requested == PodNetwork.None)
        {
            network.Choose(PodNetwork.None);
        }
        else if (requested.Length == 0)
        {
            if (await runtime.NetworkExistsAsync(PodNetwork.DefaultNetwork, cancellationToken).ConfigureAwait(false))
            {
                network.Choose(PodNetwork.DefaultNetwork);
            }
            else
            {
                Log.DefaultMissing(logger);
                network.Choose(PodNetwork.None);
            }
        }
        else if (await runtime.NetworkExistsAsync(requested, cancellationToken).ConfigureAwait(false))
        {
            network.Choose(requested);
        }
        else
        {
            throw new SettingsException($"--pod-network: the container engine has no network \"{requested}\" (create it with docker network create {requested}, or choose bridge or none)");
        }

        Log.Chosen(logger, network.Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "The container engine has no \"bridge\" network (is dockerd running with --bridge=none?): pods without hostNetwork get network none, with no address and no way out. Choose a Docker network with --pod-network NAME, or --pod-network none to keep this and silence the warning.")]
        public static partial void DefaultMissing(ILogger logger);

        [LoggerMessage(EventId = 63, Level = LogLevel.Information, Message = "Pods without hostNetwork run on the Docker network {Network}")]
        public static partial void Chosen(ILogger logger, string network);
    }
}
