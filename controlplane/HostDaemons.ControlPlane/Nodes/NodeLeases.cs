using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Hosting;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane.Nodes;

/// <summary>
/// Node liveness: heartbeats renew an in-memory lease (no store write), and only a change of state — a lease
/// expiring or a silent node coming back — writes the node's Ready condition.
/// </summary>
internal sealed partial class NodeLeases(
    IObjectStore store,
    TimeProvider time,
    IOptions<ControlPlaneOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<NodeLeases> logger) : SupervisedBackgroundService(lifetime, logger)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _renewed = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public void Renew(string nodeName) => _renewed[nodeName] = time.GetUtcNow();

    public bool IsFresh(string nodeName) => time.GetUtcNow() - LastRenewal(nodeName) <= options.Value.NodeLeaseDuration;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, Math.Min(TimeSpan.FromSeconds(1).Ticks, options.Value.NodeLeaseDuration.Ticks / 4)));
        using var timer = new PeriodicTimer(period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await CheckAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var node in store.List<Node>())
        {
            var name = node.Metadata.Name;
            var ready = NodeConditions.IsReady(node);
            var fresh = IsFresh(name);
            if (ready && !fresh)
            {
                Log.LeaseExpired(logger, name);
                await SetReadyAsync(name, "Unknown", "NodeStatusUnknown", "Agent stopped posting node status.", cancellationToken).ConfigureAwait(false);
            }
            else if (!ready && fresh)
            {
                await SetReadyAsync(name, "True", "AgentReady", "agent is posting ready status", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task SetReadyAsync(string nodeName, string status, string reason, string message, CancellationToken cancellationToken)
    {
        var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        return store.MutateAsync<Node>("", nodeName, n => NodeConditions.SetReady(n, status, reason, message, now), cancellationToken);
    }

    private DateTimeOffset LastRenewal(string nodeName) =>
        _renewed.TryGetValue(nodeName, out var renewed) ? renewed : _started;

    private static partial class Log
    {
        [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Node {Node} stopped renewing its lease; marking it NotReady")]
        public static partial void LeaseExpired(ILogger logger, string node);
    }
}
