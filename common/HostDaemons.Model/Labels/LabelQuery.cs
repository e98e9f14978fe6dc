using System.Text.RegularExpressions;

namespace HostDaemons.Model.Labels;

/// <summary>A parsed <c>-l</c> selector: <c>app=x</c>, <c>app==x</c>, <c>app!=x</c>, <c>app in (a,b)</c>, <c>app notin (a)</c>, <c>app</c>, <c>!app</c>.</summary>
public sealed partial class LabelQuery
{
    private readonly IReadOnlyList<(string Key, string Op, string[] Values)> _requirements;

    private LabelQuery(IReadOnlyList<(string Key, string Op, string[] Values)> requirements)
    {
        _requirements = requirements;
    }

    public static LabelQuery Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, op, values) in _requirements)
        {
            var present = labels.TryGetValue(key, out var actual);
            var ok = op switch
            {
                "=" => present && actual == values[0],
                "!=" => !present || actual != values[0],
                _ => LabelSelectors.Matches(key, op, values, labels),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryParse(string? text, out LabelQuery query, out string error)
    {
        query = Everything;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var requirements = new List<(string, string, string[])>();
        foreach (var part in SplitTopLevel(text))
        {
            var item = part.Trim();
            Match m;
            if ((m = SetPattern().Match(item)).Success)
            {
                var values = m.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                requirements.Add((m.Groups["key"].Value, m.Groups["op"].Value == "in" ? "In" : "NotIn", values));
            }
            else if ((m = ComparePattern().Match(item)).Success)
            {
                var op = m.Groups["op"].Value == "!=" ? "!=" : "=";
                requirements.Add((m.Groups["key"].Value, op, [m.Groups["value"].Value]));
            }
            else if ((m = ExistsPattern().Match(item)).Success)
            {
                requirements.Add((m.Groups["key"].Value, m.Groups["not"].Success ? "DoesNotExist" : "Exists", []));
            }
            else
            {
                error = $"unable to parse requirement: \"{item}\"";
                return false;
            }
        }

        query = new LabelQuery(requirements);
        return true;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9./_-]+)\s+(?<op>in|notin)\s*\((?<values>[^)]*)\)$")]
    private static partial Regex SetPattern();

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9./_-]+)\s*(?<op>==|=|!=)\s*(?<value>[A-Za-z0-9._-]*)$")]
    private static partial Regex ComparePattern();

    [GeneratedRegex(@"^(?<not>!)?\s*(?<key>[A-Za-z0-9./_-]+)$")]
    private static partial Regex ExistsPattern();
}
