using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Controller;
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
    StoreRetryPolicy retry,
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
            await retry.RunAsync("node leases", CheckAsync, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A node whose lease expired becomes NotReady (Ready Unknown) with the taint
    /// <c>node.kubernetes.io/unreachable:NoExecute</c>, which daemon pods tolerate, so its pods stay assigned; its pods
    /// stop counting as ready. A node renewing its lease again is Ready, untainted.
    /// </summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        foreach (var node in store.List<Node>())
        {
            var name = node.Metadata.Name;
            var ready = NodeConditions.IsReady(node);
            var tainted = node.Spec?.Taints.Any(t => t.Key == NodeConditions.UnreachableTaint) == true;
            var fresh = IsFresh(name);
            if (!fresh && (ready || !tainted))
            {
                Log.LeaseExpired(logger, name);
                await store.MutateAsync<Node>("", name, n =>
                    NodeConditions.SetReady(n, "Unknown", "NodeStatusUnknown", "Agent stopped posting node status.", now)
                    | NodeConditions.SetUnreachable(n, unreachable: true, now), cancellationToken).ConfigureAwait(false);
                await MarkPodsNotReadyAsync(name, now, cancellationToken).ConfigureAwait(false);
            }
            else if (fresh && (!ready || tainted))
            {
                await store.MutateAsync<Node>("", name, n => NodeConditions.MarkReachable(n, now), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>As Kubernetes' node lifecycle controller: nobody vouches for the pods of a silent node, so they are not Ready.</summary>
    private async Task MarkPodsNotReadyAsync(string nodeName, Timestamp now, CancellationToken cancellationToken)
    {
        foreach (var pod in store.PodsOnNode(nodeName))
        {
            await store.MutateAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name, p =>
            {
                var ready = PodConditions.Ready(p);
                if (p.Metadata.Uid != pod.Metadata.Uid || ready is null || ready.Status != "True")
                {
                    return false;
                }

                ready.Status = "False";
                ready.Reason = "NodeNotReady";
                ready.LastTransitionTime = now;
                foreach (var container in p.Status!.ContainerStatuses)
                {
                    container.Ready = false;
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private DateTimeOffset LastRenewal(string nodeName) =>
        _renewed.TryGetValue(nodeName, out var renewed) ? renewed : _started;

    private static partial class Log
    {
        [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Node {Node} stopped renewing its lease; marking it NotReady")]
        public static partial void LeaseExpired(ILogger logger, string node);
    }
}
