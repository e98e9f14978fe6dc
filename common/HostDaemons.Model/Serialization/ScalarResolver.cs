using System.Globalization;

namespace HostDaemons.Model.Serialization;

/// <summary>How a plain scalar reads as a number or a boolean, as Kubernetes' YAML 1.1 reader resolves them.</summary>
internal static class ScalarResolver
{
    private static readonly HashSet<string> s_true = new(StringComparer.Ordinal) { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y" };
    private static readonly HashSet<string> s_false = new(StringComparer.Ordinal) { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N" };

    public static bool TryParseBool(ScalarNode node, out bool value)
    {
        value = false;
        if (!node.IsPlain || node.Value is null)
        {
            return false;
        }

        if (s_true.Contains(node.Value))
        {
            value = true;
            return true;
        }

        return s_false.Contains(node.Value);
    }

    public static bool TryParseInteger(ScalarNode node, out long value)
    {
        value = 0;
        return node.IsPlain && node.Value is not null
            && long.TryParse(node.Value.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>True when a string written plain would read back as something other than that string.</summary>
    public static bool NeedsQuotes(string value)
    {
        if (value.Length == 0 || s_true.Contains(value) || s_false.Contains(value)
            || value is "~" or "null" or "Null" or "NULL")
        {
            return true;
        }

        return double.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            || value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("0o", StringComparison.OrdinalIgnoreCase)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && char.IsDigit(value[0]);
    }
}
