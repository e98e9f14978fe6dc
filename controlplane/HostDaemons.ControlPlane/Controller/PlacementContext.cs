using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// What placement reads besides the DaemonSet: the nodes, the pods bound to them (for pod affinity; read only when a
/// DaemonSet has pod affinity terms) and the time (for tolerationSeconds). One context serves one sync.
/// </summary>
internal sealed class PlacementContext
{
    private readonly Lazy<IReadOnlyList<Pod>> _boundPods;
    private readonly Lazy<Dictionary<string, Node>> _nodesByName;

    public PlacementContext(IReadOnlyCollection<Node> nodes, Func<IReadOnlyCollection<Pod>> pods, DateTimeOffset now)
    {
        Nodes = nodes;
        Now = now;
        _nodesByName = new(() => nodes.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal));

        // As the scheduler's cache: pods bound to a node that exists and not finished; a terminating pod still counts.
        _boundPods = new(() => [.. pods().Where(p => p.Spec?.NodeName is { Length: > 0 } node && _nodesByName.Value.ContainsKey(node) && !PodConditions.IsTerminal(p))]);
    }

    public IReadOnlyCollection<Node> Nodes { get; }

    public DateTimeOffset Now { get; }

    public IReadOnlyDictionary<string, Node> NodesByName => _nodesByName.Value;

    /// <summary>Every pod on a known node that has not finished, whoever owns it (static pods' mirror pods too).</summary>
    public IReadOnlyList<Pod> BoundPods => _boundPods.Value;

    /// <summary>A context without other pods: enough for every rule but pod affinity.</summary>
    public static PlacementContext WithoutPods(IReadOnlyCollection<Node> nodes, DateTimeOffset now) => new(nodes, () => [], now);
}
