using System.Globalization;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// A rolling update that cannot go on by itself: updated pods that are failing (their image cannot be pulled, their
/// container crashes) use up the whole budget (maxUnavailable, or maxSurge when surging) while nodes still run an old
/// revision. The controller then waits, as Kubernetes' does, and says why, in an event and in <c>rollout status</c>.
/// </summary>
internal static class RolloutStall
{
    /// <summary>Waiting reasons that do not go away by waiting: the kubelet's image and container errors.</summary>
    private static readonly HashSet<string> s_failing = new(StringComparer.Ordinal)
    {
        "ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName", "CrashLoopBackOff",
        "CreateContainerError", "CreateContainerConfigError", "RunContainerError", "PreCreateHookError", "PostStartHookError",
    };

    /// <summary>Why the pod is not ready, as its containers say (the first waiting reason, or a termination's), or "".</summary>
    public static string Reason(Pod pod)
    {
        var statuses = pod.Status?.ContainerStatuses.ToList() ?? [];
        return statuses.Select(s => s.State?.Waiting?.Reason ?? "").FirstOrDefault(r => r.Length > 0)
            ?? statuses.Select(s => s.State?.Terminated?.Reason ?? "").FirstOrDefault(r => r.Length > 0)
            ?? (pod.Status?.Phase == "Failed" ? "Failed" : "");
    }

    /// <summary>An updated pod that is not ready and will not become ready by waiting: failing, or failed and restarted.</summary>
    public static bool IsFailing(Pod pod) =>
        !PodConditions.IsReady(pod)
        && (s_failing.Contains(Reason(pod)) || pod.Status?.Phase == "Failed" || (pod.Status?.ContainerStatuses.Any(s => s.RestartCount > 0) ?? false));

    /// <summary>
    /// Why the rolling update of <paramref name="ds"/> waits for good, or null when it does not; <paramref name="desired"/>
    /// is desiredNumberScheduled, which percentages scale against.
    /// </summary>
    public static string? Find(DaemonSet ds, IReadOnlyCollection<Pod> pods, string currentHash, int desired)
    {
        if (ds.Spec.UpdateStrategy?.Type != "RollingUpdate" || ds.IsTerminating())
        {
            return null;
        }

        var live = pods.Where(p => !p.IsTerminating() && !PodConditions.IsTerminal(p) && p.Spec.NodeName.Length > 0).ToList();
        var oldNodes = live.Where(p => !DaemonSetPlanner.IsCurrent(p, currentHash)).Select(p => p.Spec.NodeName).Distinct().Count();
        if (oldNodes == 0)
        {
            return null;
        }

        var failing = live.Where(p => DaemonSetPlanner.IsCurrent(p, currentHash) && IsFailing(p))
            .OrderBy(p => p.Spec.NodeName, StringComparer.Ordinal).ToList();
        var surge = RollingUpdateBudget.MaxSurge(ds, desired);
        var (budgetName, budget) = surge > 0 ? ("maxSurge", surge) : ("maxUnavailable", RollingUpdateBudget.MaxUnavailable(ds, desired));
        if (failing.Count == 0 || failing.Count < budget)
        {
            return null;
        }

        var nodes = string.Join(", ", failing.Select(p => $"{p.Spec.NodeName} ({Reason(p) switch { "" => "not ready", var r => r }})"));
        return string.Create(CultureInfo.InvariantCulture,
            $"rolling update stalled at {budgetName}={budget}: updated pods are failing on {failing.Count} {Nodes(failing.Count)}: {nodes}; "
            + $"{oldNodes} {Nodes(oldNodes)} still on an old revision");
    }

    private static string Nodes(int count) => count == 1 ? "node" : "nodes";
}
