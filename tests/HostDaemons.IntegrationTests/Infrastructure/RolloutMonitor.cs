using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using Microsoft.Extensions.DependencyInjection;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>
/// Watches a DaemonSet's pods in the control plane's store, change by change, and keeps what a rollout must never
/// exceed: how many nodes lacked an available pod (none, or only terminating or unready ones), and how many live pods
/// one node had, at any observed moment.
/// </summary>
public sealed class RolloutMonitor : IAsyncDisposable
{
    private readonly StoreSubscription _subscription;
    private readonly Dictionary<string, Pod> _pods = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _nodes;
    private readonly string _owner;
    private readonly Task _run;
    private readonly Lock _lock = new();
    private readonly List<string> _moments = [];

    private RolloutMonitor(IObjectStore store, string owner, IReadOnlyList<string> nodes)
    {
        _owner = owner;
        _nodes = nodes;
        _subscription = store.Subscribe();
        foreach (var pod in store.List<Pod>("default").Where(Owned))
        {
            _pods[pod.Metadata.Name] = pod;
        }

        Observe();
        _run = RunAsync();
    }

    /// <summary>The most nodes without an available pod at one moment.</summary>
    public int MaxNodesWithoutAvailablePod { get; private set; }

    /// <summary>The most live (not terminating) pods on one node at one moment.</summary>
    public int MaxLivePodsOnANode { get; private set; }

    /// <summary>When each pod was marked for deletion, by the control plane's clock, with its node.</summary>
    public List<(string Node, DateTimeOffset At)> Deletions { get; } = [];

    /// <summary>When each pod became ready (its Ready condition's transition), with its node.</summary>
    public Dictionary<string, (string Node, DateTimeOffset At)> ReadySince { get; } = new(StringComparer.Ordinal);

    /// <summary>A line per observed change, for failure messages.</summary>
    public string Describe()
    {
        lock (_lock)
        {
            return string.Join("\n", _moments.TakeLast(40));
        }
    }

    public static RolloutMonitor Start(TestCluster cluster, string daemonSet, IReadOnlyList<string> nodes) =>
        new(cluster.ControlPlane.Services.GetRequiredService<IObjectStore>(), daemonSet, nodes);

    private bool Owned(Pod pod) => pod.Metadata.ControllerRef() is { Kind: "DaemonSet" } owner && owner.Name == _owner;

    private async Task RunAsync()
    {
        try
        {
            await foreach (var e in _subscription.Events.ReadAllAsync())
            {
                if (e.Object is not Pod pod || !Owned(pod))
                {
                    continue;
                }

                lock (_lock)
                {
                    if (e.Type == StoreEventType.Deleted)
                    {
                        _pods.Remove(pod.Metadata.Name);
                    }
                    else
                    {
                        if (pod.Metadata.DeletionTimestamp is { } deleted && (!_pods.TryGetValue(pod.Metadata.Name, out var before) || before.Metadata.DeletionTimestamp is null))
                        {
                            Deletions.Add((pod.Spec.NodeName, deleted.ToDateTimeOffset()));
                        }

                        _pods[pod.Metadata.Name] = pod;
                    }

                    Observe();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Observe()
    {
        var withoutAvailable = 0;
        foreach (var node in _nodes)
        {
            var live = _pods.Values.Where(p => p.Spec.NodeName == node && p.Metadata.DeletionTimestamp is null).ToList();
            MaxLivePodsOnANode = Math.Max(MaxLivePodsOnANode, live.Count);
            if (!live.Any(Ready))
            {
                withoutAvailable++;
            }
        }

        foreach (var pod in _pods.Values)
        {
            if (pod.Status?.Conditions.FirstOrDefault(c => c.Type == "Ready" && c.Status == "True") is { LastTransitionTime: { } since })
            {
                ReadySince.TryAdd(pod.Metadata.Name, (pod.Spec.NodeName, since.ToDateTimeOffset()));
            }
        }

        MaxNodesWithoutAvailablePod = Math.Max(MaxNodesWithoutAvailablePod, withoutAvailable);
        _moments.Add($"{withoutAvailable} without: " + string.Join(", ", _pods.Values.OrderBy(p => p.Spec.NodeName, StringComparer.Ordinal)
            .Select(p => $"{p.Spec.NodeName}/{p.Metadata.Name}{(Ready(p) ? "+" : "-")}{(p.Metadata.DeletionTimestamp is null ? "" : "(T)")}")));
    }

    private static bool Ready(Pod pod) => pod.Status?.Conditions.Any(c => c.Type == "Ready" && c.Status == "True") ?? false;

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _run.DefaultTimeout();
    }
}
