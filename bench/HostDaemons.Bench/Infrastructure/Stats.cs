using System.Globalization;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>Nearest-rank percentiles of a sample, in the unit it was taken in.</summary>
internal sealed class Stats
{
    private readonly double[] _sorted;

    public Stats(IEnumerable<double> values)
    {
        _sorted = values.Order().ToArray();
    }

    public int Count => _sorted.Length;

    public double P50 => Percentile(50);

    public double P99 => Percentile(99);

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    public double Min => _sorted.Length == 0 ? double.NaN : _sorted[0];

    public double Mean => _sorted.Length == 0 ? double.NaN : _sorted.Average();

    public double Percentile(double p)
    {
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }
}

/// <summary>Invariant formatting of figures.</summary>
internal static class Fmt
{
    public static string Ms(double milliseconds) =>
        double.IsNaN(milliseconds) ? "-" : milliseconds >= 10_000
            ? (milliseconds / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : milliseconds.ToString(milliseconds >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Seconds(double seconds) => double.IsNaN(seconds) ? "-" : seconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    /// <summary>Megabytes, or "-" for a figure not taken (negative).</summary>
    public static string MbOrNone(long bytes) => bytes < 0 ? "-" : Mb(bytes);

    public static string Num(double value, string format = "0.0") => double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ratio(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture) + "x";
}
