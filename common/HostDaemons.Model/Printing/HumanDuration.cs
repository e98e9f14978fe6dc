using System.Globalization;

namespace HostDaemons.Model.Printing;

/// <summary>kubectl's AGE format (apimachinery's duration.HumanDuration): 45s, 3m20s, 5h, 2d3h, 400d, 3y20d.</summary>
public static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return I($"{seconds}s");
        }

        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? I($"{minutes}m") : I($"{minutes}m{s}s");
        }

        if (minutes < 60 * 3)
        {
            return I($"{minutes}m");
        }

        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? I($"{hours}h") : I($"{hours}h{m}m");
        }

        if (hours < 48)
        {
            return I($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? I($"{hours / 24}d") : I($"{hours / 24}d{h}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return I($"{hours / 24}d");
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? I($"{hours / 24 / 365}y") : I($"{hours / 24 / 365}y{dy}d");
        }

        return I($"{hours / 24 / 365}y");
    }

    private static string I(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
