using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>The tolerations every daemon pod gets (Kubernetes' AddOrUpdateDaemonPodTolerations).</summary>
internal static class DefaultTolerations
{
    private static readonly Toleration[] s_always =
    [
        Exists("node.kubernetes.io/not-ready", "NoExecute"),
        Exists("node.kubernetes.io/unreachable", "NoExecute"),
        Exists("node.kubernetes.io/disk-pressure", "NoSchedule"),
        Exists("node.kubernetes.io/memory-pressure", "NoSchedule"),
        Exists("node.kubernetes.io/pid-pressure", "NoSchedule"),
        Exists("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];

    private static readonly Toleration s_hostNetwork = Exists("node.kubernetes.io/network-unavailable", "NoSchedule");

    public static IEnumerable<Toleration> For(PodSpec spec) => spec.HostNetwork ? [.. s_always, s_hostNetwork] : s_always;

    /// <summary>Adds the default tolerations the spec does not already have (same key and effect).</summary>
    public static void AddTo(PodSpec spec)
    {
        foreach (var toleration in For(spec).ToList())
        {
            if (!spec.Tolerations.Any(t => t.Key == toleration.Key && t.Effect == toleration.Effect))
            {
                spec.Tolerations.Add(toleration.Clone());
            }
        }
    }

    private static Toleration Exists(string key, string effect) => new() { Key = key, Operator = "Exists", Effect = effect };
}
