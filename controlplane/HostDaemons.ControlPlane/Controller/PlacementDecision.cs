namespace HostDaemons.ControlPlane.Controller;

/// <summary>The rule that decided a placement: the first one, in Kubernetes' order, that a node failed.</summary>
internal enum PlacementRule
{
    /// <summary>Every rule holds.</summary>
    None,

    /// <summary>The DaemonSet has no pod template.</summary>
    NoTemplate,

    /// <summary>The template's spec.nodeName names another node.</summary>
    NodeName,

    NodeSelector,

    NodeAffinity,

    /// <summary>An untolerated NoSchedule or NoExecute taint, or a NoExecute taint whose tolerationSeconds have passed.</summary>
    Taint,

    PodAffinity,

    PodAntiAffinity,
}

/// <summary>
/// Whether a daemon pod should start on a node, whether one already there may keep running, and why not: the first
/// rule that decided, worded for people (<c>nodeSelector disk=ssd not matched</c>). <see cref="RecheckAt"/> is when
/// the decision changes by itself: a NoExecute taint tolerated for tolerationSeconds stops being tolerated.
/// </summary>
internal readonly record struct PlacementDecision(
    bool ShouldRun,
    bool ShouldContinueRunning,
    PlacementRule Rule = PlacementRule.None,
    string Reason = "",
    DateTimeOffset? RecheckAt = null)
{
    public static PlacementDecision No => new(false, false);

    public static PlacementDecision Yes => new(true, true);

    public static PlacementDecision Refuse(PlacementRule rule, string reason) => new(false, false, rule, reason);

    /// <summary>A running pod goes because of a NoExecute taint: Kubernetes' taint eviction.</summary>
    public bool EvictsByTaint => !ShouldContinueRunning && Rule == PlacementRule.Taint;
}
