using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// Kubernetes' NodeShouldRunDaemonPod, plus what its scheduler would add, because here the control plane binds daemon
/// pods itself. The rules, in the order that names the first one a node fails: the template's nodeName, the
/// nodeSelector, the required node affinity, untolerated NoExecute taints (a running pod is evicted), the required pod
/// affinity and anti-affinity, then untolerated NoSchedule taints (no new pod, but a running one stays). Node readiness
/// and capacity are not considered. The controller, the status and the placement preview all decide through this class.
/// </summary>
internal sealed class Placement
{
    private readonly PodSpec? _spec;
    private readonly IReadOnlyList<Toleration> _tolerations;
    private readonly PodAffinityRules? _podAffinity;
    private readonly PlacementContext _context;

    private Placement(DaemonSet ds, PlacementContext context)
    {
        _context = context;
        _spec = ds.Spec?.Template?.Spec;
        _tolerations = _spec is null ? [] : DefaultTolerations.Effective(_spec);
        _podAffinity = _spec is null ? null : PodAffinityRules.For(ds, context);
    }

    /// <summary>The placement of <paramref name="ds"/> over the nodes and pods of <paramref name="context"/>.</summary>
    public static Placement For(DaemonSet ds, PlacementContext context) => new(ds, context);

    public PlacementDecision Evaluate(Node node)
    {
        if (_spec is null)
        {
            return PlacementDecision.Refuse(PlacementRule.NoTemplate, "the DaemonSet has no pod template");
        }

        if (_spec.NodeName.Length > 0 && _spec.NodeName != node.Metadata.Name)
        {
            return PlacementDecision.Refuse(PlacementRule.NodeName, $"nodeName {_spec.NodeName} not matched");
        }

        if (NodeAffinityRules.Check(_spec, node) is { } affinity)
        {
            return PlacementDecision.Refuse(affinity.Rule, affinity.Reason);
        }

        var taints = Tolerations.Check(_tolerations, node.Spec?.Taints ?? [], _context.Now);
        if (!taints.ShouldContinueRunning)
        {
            return taints;
        }

        if (_podAffinity?.Check(node) is { } pods)
        {
            return PlacementDecision.Refuse(pods.Rule, pods.Reason);
        }

        return taints;
    }
}
