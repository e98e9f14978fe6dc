using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>Whether a daemon pod should start on a node, and whether one already there may keep running.</summary>
internal readonly record struct PlacementDecision(bool ShouldRun, bool ShouldContinueRunning)
{
    public static PlacementDecision No => new(false, false);

    public static PlacementDecision Yes => new(true, true);
}

/// <summary>
/// Kubernetes' NodeShouldRunDaemonPod: node name, node selector and untolerated taints. A NoSchedule taint stops new
/// pods but keeps a running one; a NoExecute taint removes it. Node readiness and capacity are not considered.
/// </summary>
internal static class Placement
{
    public static PlacementDecision Evaluate(DaemonSet ds, Node node)
    {
        var spec = ds.Spec?.Template?.Spec;
        if (spec is null)
        {
            return PlacementDecision.No;
        }

        if (spec.NodeName.Length > 0 && spec.NodeName != node.Metadata.Name)
        {
            return PlacementDecision.No;
        }

        foreach (var (key, value) in spec.NodeSelector)
        {
            if (!node.Metadata.Labels.TryGetValue(key, out var actual) || actual != value)
            {
                return PlacementDecision.No;
            }
        }

        var tolerations = DefaultTolerations.For(spec).Concat(spec.Tolerations).ToList();
        var untoleratedNoExecute = false;
        var untoleratedNoSchedule = false;
        foreach (var taint in node.Spec?.Taints ?? [])
        {
            if (taint.Effect is not ("NoSchedule" or "NoExecute") || tolerations.Any(t => Tolerates(t, taint)))
            {
                continue;
            }

            if (taint.Effect == "NoExecute")
            {
                untoleratedNoExecute = true;
            }
            else
            {
                untoleratedNoSchedule = true;
            }
        }

        if (untoleratedNoExecute)
        {
            return PlacementDecision.No;
        }

        return untoleratedNoSchedule ? new PlacementDecision(false, true) : PlacementDecision.Yes;
    }

    /// <summary>Kubernetes' ToleratesTaint: empty effect matches all effects, empty key with Exists matches all taints.</summary>
    public static bool Tolerates(Toleration toleration, Taint taint)
    {
        if (toleration.Effect.Length > 0 && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (toleration.Key.Length > 0 && toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.Operator switch
        {
            "Exists" => true,
            "" or "Equal" => toleration.Value == taint.Value,
            _ => false,
        };
    }
}
