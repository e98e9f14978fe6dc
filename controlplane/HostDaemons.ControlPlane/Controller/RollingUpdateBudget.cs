using System.Globalization;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>maxUnavailable and maxSurge scaled against the desired count, rounded up, as Kubernetes scales them.</summary>
internal static class RollingUpdateBudget
{
    public static int MaxUnavailable(DaemonSet ds, int desired)
    {
        var rolling = ds.Spec.UpdateStrategy?.RollingUpdate;
        var unavailable = Scale(rolling?.MaxUnavailable, desired, fallback: 1);
        var surge = Scale(rolling?.MaxSurge, desired, fallback: 0);
        return desired > 0 && unavailable == 0 && surge == 0 ? 1 : unavailable;
    }

    public static int MaxSurge(DaemonSet ds, int desired) => Scale(ds.Spec.UpdateStrategy?.RollingUpdate?.MaxSurge, desired, fallback: 0);

    public static int Scale(IntOrString? value, int total, int fallback)
    {
        if (value is null)
        {
            return fallback;
        }

        if (value.ValueCase == IntOrString.ValueOneofCase.IntValue)
        {
            return value.IntValue;
        }

        var text = value.StringValue.TrimEnd('%');
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
            ? (int)Math.Ceiling(percent * total / 100.0)
            : fallback;
    }
}
