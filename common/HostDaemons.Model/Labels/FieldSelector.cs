using System.Text;

namespace HostDaemons.Model.Labels;

/// <summary>
/// A parsed <c>--field-selector</c>, as apimachinery's <c>fields.ParseSelector</c> reads it: terms separated by commas
/// (all must hold), each <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>; a value may hold <c>\,</c>,
/// <c>\=</c> and <c>\\</c>. Which fields a kind offers is <see cref="FieldLabels"/>'.
/// </summary>
public sealed class FieldSelector
{
    private FieldSelector(IReadOnlyList<FieldRequirement> requirements)
    {
        Requirements = requirements;
    }

    public static FieldSelector Everything { get; } = new([]);

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    public bool IsEverything => Requirements.Count == 0;

    /// <summary>True when every term holds; <paramref name="valueOf"/> gives a field's value.</summary>
    public bool Matches(Func<string, string> valueOf)
    {
        foreach (var requirement in Requirements)
        {
            var equal = string.Equals(valueOf(requirement.Field), requirement.Value, StringComparison.Ordinal);
            if (equal == requirement.NotEquals)
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryParse(string? text, out FieldSelector selector, out string error)
    {
        selector = Everything;
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var requirements = new List<FieldRequirement>();
        foreach (var term in SplitTerms(text).Order(StringComparer.Ordinal))
        {
            if (term.Length == 0)
            {
                continue;
            }

            if (!TrySplitTerm(term, out var field, out var op, out var escaped))
            {
                error = $"invalid selector: '{text}'; can't understand '{term}'";
                return false;
            }

            if (!TryUnescape(escaped, out var value, out error))
            {
                return false;
            }

            requirements.Add(new FieldRequirement(field, op == "!=", value));
        }

        selector = new FieldSelector(requirements);
        return true;
    }

    public override string ToString() => string.Join(",", Requirements);

    /// <summary>Splits on commas that are not escaped by a backslash.</summary>
    private static List<string> SplitTerms(string text)
    {
        var terms = new List<string>();
        var start = 0;
        var escaped = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (escaped)
            {
                escaped = false;
            }
            else if (text[i] == '\\')
            {
                escaped = true;
            }
            else if (text[i] == ',')
            {
                terms.Add(text[start..i]);
                start = i + 1;
            }
        }

        terms.Add(text[start..]);
        return terms;
    }

    /// <summary>The field cannot hold an operator: the first one found splits the term (<c>!=</c>, then <c>==</c>, then <c>=</c>).</summary>
    private static bool TrySplitTerm(string term, out string field, out string op, out string value)
    {
        for (var i = 0; i < term.Length; i++)
        {
            foreach (var candidate in (ReadOnlySpan<string>)["!=", "==", "="])
            {
                if (term.AsSpan(i).StartsWith(candidate, StringComparison.Ordinal))
                {
                    (field, op, value) = (term[..i], candidate, term[(i + candidate.Length)..]);
                    return true;
                }
            }
        }

        (field, op, value) = ("", "", "");
        return false;
    }

    private static bool TryUnescape(string text, out string value, out string error)
    {
        value = text;
        error = "";
        if (text.IndexOfAny(['\\', ',', '=']) < 0)
        {
            return true;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 1 >= text.Length || text[i + 1] is not ('\\' or ',' or '='))
                {
                    error = $"invalid field selector: invalid escape sequence: {text[i..Math.Min(i + 2, text.Length)]}";
                    return false;
                }

                result.Append(text[++i]);
            }
            else if (c is ',' or '=')
            {
                error = $"invalid field selector: unescaped character in value: {c}";
                return false;
            }
            else
            {
                result.Append(c);
            }
        }

        value = result.ToString();
        return true;
    }
}
