using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>The tolerations every daemon pod gets (Kubernetes' AddOrUpdateDaemonPodTolerations, table 1.2 of the reference).</summary>
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

    /// <summary>
    /// Kubernetes' AddOrUpdateTolerationInPodSpec for each default: a toleration with the same key, operator, value and
    /// effect is replaced by the default (so a tolerationSeconds on it goes: the defaults last for ever), others stay
    /// in place, and a default not there yet is appended.
    /// </summary>
    public static void AddTo(PodSpec spec)
    {
        foreach (var toleration in For(spec).ToList())
        {
            var index = IndexOfMatching(spec.Tolerations, toleration);
            if (index < 0)
            {
                spec.Tolerations.Add(toleration.Clone());
            }
            else if (!spec.Tolerations[index].Equals(toleration))
            {
                spec.Tolerations[index] = toleration.Clone();
            }
        }
    }

    /// <summary>The tolerations a daemon pod of this template has: its own with the defaults added or updated, in that order.</summary>
    public static IReadOnlyList<Toleration> Effective(PodSpec spec)
    {
        var copy = new PodSpec { HostNetwork = spec.HostNetwork };
        copy.Tolerations.Add(spec.Tolerations);
        AddTo(copy);
        return [.. copy.Tolerations];
    }

    /// <summary>Kubernetes' MatchToleration: the same key, operator, value and effect (an empty operator is not Exists).</summary>
    private static int IndexOfMatching(IList<Toleration> tolerations, Toleration toleration)
    {
        for (var i = 0; i < tolerations.Count; i++)
        {
            var t = tolerations[i];
            if (t.Key == toleration.Key && t.Operator == toleration.Operator && t.Value == toleration.Value && t.Effect == toleration.Effect)
            {
                return i;
            }
        }

        return -1;
    }

    private static Toleration Exists(string key, string effect) => new() { Key = key, Operator = "Exists", Effect = effect };
}
