using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>Pod readiness and availability as Kubernetes' pod utilities define them.</summary>
internal static class PodConditions
{
    public static PodCondition? Ready(Pod pod) => pod.Status?.Conditions.FirstOrDefault(c => c.Type == "Ready");

    public static bool IsReady(Pod pod) => Ready(pod)?.Status == "True";

    /// <summary>Ready, and Ready for at least <paramref name="minReadySeconds"/>.</summary>
    public static bool IsAvailable(Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        var ready = Ready(pod);
        if (ready?.Status != "True")
        {
            return false;
        }

        if (minReadySeconds == 0)
        {
            return true;
        }

        var since = ready.LastTransitionTime?.ToDateTimeOffset();
        return since is not null && since.Value.AddSeconds(minReadySeconds) <= now;
    }

    /// <summary>When a pod that is ready but not yet available becomes available; null for any other pod.</summary>
    public static DateTimeOffset? AvailableAt(Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        var ready = Ready(pod);
        if (minReadySeconds <= 0 || ready?.Status != "True" || ready.LastTransitionTime is null)
        {
            return null;
        }

        var at = ready.LastTransitionTime.ToDateTimeOffset().AddSeconds(minReadySeconds);
        return at > now ? at : null;
    }

    public static bool IsTerminal(Pod pod) => pod.Status?.Phase is "Failed" or "Succeeded";

    /// <summary>The order Kubernetes keeps daemon pods in: scheduled first, then oldest, then by name.</summary>
    public static int CompareOldestFirst(Pod a, Pod b)
    {
        var scheduled = (b.Spec?.NodeName.Length > 0).CompareTo(a.Spec?.NodeName.Length > 0);
        if (scheduled != 0)
        {
            return scheduled;
        }

        var created = (a.Metadata.CreationTimestamp ?? new Timestamp()).CompareTo(b.Metadata.CreationTimestamp ?? new Timestamp());
        return created != 0 ? created : string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name);
    }
}
