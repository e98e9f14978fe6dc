using System.Globalization;

namespace HostDaemons.Model.Quantities;

/// <summary>Kubernetes resource quantities: <c>100m</c>, <c>0.5</c>, <c>64Mi</c>, <c>1G</c>, <c>1e3</c>.</summary>
public static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] s_suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m),
        ("P", 1e15m), ("E", 1e18m),
    ];

    public const string FormatError = "must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text) || text != text.Trim())
        {
            return false;
        }

        var number = text;
        var factor = 1m;
        foreach (var (suffix, suffixFactor) in s_suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && text.Length > suffix.Length && IsNumberEnd(text[^(suffix.Length + 1)]))
            {
                number = text[..^suffix.Length];
                factor = suffixFactor;
                break;
            }
        }

        try
        {
            if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var parsed))
            {
                return false;
            }

            value = parsed * factor;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static decimal Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"quantities {FormatError}");

    /// <summary>CPU cores as whole millicores, rounded up as Kubernetes rounds them.</summary>
    public static long ToMilli(decimal value) => (long)decimal.Ceiling(value * 1000m);

    /// <summary>Bytes, rounded up.</summary>
    public static long ToWhole(decimal value) => (long)decimal.Ceiling(value);

    private static bool IsNumberEnd(char c) => char.IsDigit(c) || c == '.';
}
