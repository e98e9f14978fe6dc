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

    /// <summary>
    /// An integer as YAML 1.1 reads it: decimal, <c>0x</c> hex, <c>0b</c> binary, and <c>0o</c> or a leading zero for
    /// octal, so <c>defaultMode: 0644</c> is 420 as in Kubernetes; underscores are ignored.
    /// </summary>
    public static bool TryParseInteger(ScalarNode node, out long value)
    {
        value = 0;
        if (!node.IsPlain || node.Value is null)
        {
            return false;
        }

        var text = node.Value.Replace("_", "", StringComparison.Ordinal);
        var negative = text.StartsWith('-');
        var digits = text.Length > 0 && text[0] is '+' or '-' ? text[1..] : text;
        var (radix, body) = digits switch
        {
            ['0', 'x' or 'X', .. var rest] => (16, rest),
            ['0', 'o' or 'O', .. var rest] => (8, rest),
            ['0', 'b' or 'B', .. var rest] => (2, rest),
            ['0', _, ..] => (8, digits[1..]),
            _ => (10, digits),
        };
        if (TryParseDigits(body, radix, negative, out value))
        {
            return true;
        }

        // "08" is no octal number; YAML 1.1 then reads it as the decimal 8.
        return radix == 8 && digits.StartsWith('0') && !digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase)
            && TryParseDigits(digits, 10, negative, out value);
    }

    private static bool TryParseDigits(string digits, int radix, bool negative, out long value)
    {
        value = 0;
        if (digits.Length == 0)
        {
            return false;
        }

        var magnitude = 0UL;
        foreach (var c in digits)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : radix;
            if (digit >= radix || magnitude > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return false;
            }

            magnitude = (magnitude * (ulong)radix) + (ulong)digit;
        }

        if (magnitude > (negative ? (ulong)long.MaxValue + 1 : long.MaxValue))
        {
            return false;
        }

        value = negative ? unchecked((long)(0UL - magnitude)) : (long)magnitude;
        return true;
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
            || value.StartsWith("0b", StringComparison.OrdinalIgnoreCase)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && char.IsDigit(value[0]);
    }
}
