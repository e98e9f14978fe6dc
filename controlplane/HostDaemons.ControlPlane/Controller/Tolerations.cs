using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// Taints against tolerations, as Kubernetes matches them (toleration.go, the DaemonSet controller's fitsTaints and the
/// taint eviction controller's tolerationSeconds).
/// </summary>
internal static class Tolerations
{
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

    /// <summary>kubectl's form of a taint: <c>key=value:Effect</c>, or <c>key:Effect</c> without a value.</summary>
    public static string Format(Taint taint) =>
        taint.Value.Length == 0 ? $"{taint.Key}:{taint.Effect}" : $"{taint.Key}={taint.Value}:{taint.Effect}";

    /// <summary>
    /// The node's taints against the pod's tolerations (the pod's own and the defaults, in that order). An untolerated
    /// NoExecute taint refuses the node and evicts a running pod; an untolerated NoSchedule one refuses the node but
    /// keeps a running pod; PreferNoSchedule is ignored. A NoExecute taint is tolerated for the tolerationSeconds of the
    /// first toleration that matches it (none: for ever), counted from the taint's timeAdded; once that has passed it
    /// counts as untolerated, and until then the decision carries the time it changes.
    /// </summary>
    public static PlacementDecision Check(IReadOnlyList<Toleration> tolerations, IEnumerable<Taint> taints, DateTimeOffset now)
    {
        Taint? noSchedule = null;
        string? noExecute = null;
        DateTimeOffset? recheckAt = null;
        foreach (var taint in taints)
        {
            if (taint.Effect is not ("NoSchedule" or "NoExecute"))
            {
                continue;
            }

            var toleration = tolerations.FirstOrDefault(t => Tolerates(t, taint));
            if (toleration is null)
            {
                if (taint.Effect == "NoExecute")
                {
                    noExecute ??= $"taint {Format(taint)} not tolerated";
                }
                else
                {
                    noSchedule ??= taint;
                }

                continue;
            }

            if (taint.Effect != "NoExecute" || !toleration.HasTolerationSeconds)
            {
                continue;
            }

            var seconds = Math.Max(0, toleration.TolerationSeconds);
            var added = taint.TimeAdded?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch;
            var until = added.AddSeconds(seconds);
            if (now >= until)
            {
                noExecute ??= $"taint {Format(taint)} tolerated for {seconds}s only, since {added.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";
            }
            else if (recheckAt is null || until < recheckAt)
            {
                recheckAt = until;
            }
        }

        if (noExecute is not null)
        {
            return PlacementDecision.Refuse(PlacementRule.Taint, noExecute);
        }

        if (noSchedule is not null)
        {
            return new PlacementDecision(false, true, PlacementRule.Taint, $"taint {Format(noSchedule)} not tolerated", recheckAt);
        }

        return PlacementDecision.Yes with { RecheckAt = recheckAt };
    }
}
