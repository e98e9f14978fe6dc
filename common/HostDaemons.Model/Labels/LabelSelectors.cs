using HostDaemons.Model.V1;

namespace HostDaemons.Model.Labels;

/// <summary>Matching and printing of label selectors, as Kubernetes' <c>labels</c> package does.</summary>
public static class LabelSelectors
{
    public static bool IsEmpty(LabelSelector? selector) =>
        selector is null || (selector.MatchLabels.Count == 0 && selector.MatchExpressions.Count == 0);

    /// <summary>True when every matchLabels pair and every expression holds. An empty selector matches everything.</summary>
    public static bool Matches(LabelSelector? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return true;
        }

        foreach (var (key, value) in selector.MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var requirement in selector.MatchExpressions)
        {
            if (!Matches(requirement.Key, requirement.Operator, requirement.Values, labels))
            {
                return false;
            }
        }

        return true;
    }

    public static bool Matches(string key, string op, IEnumerable<string> values, IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(key, out var actual);
        return op switch
        {
            "In" => present && values.Contains(actual),
            "NotIn" => !present || !values.Contains(actual),
            "Exists" => present,
            "DoesNotExist" => !present,
            _ => false,
        };
    }

    /// <summary><c>k=v,k2=v2</c> sorted by key, or <c>&lt;none&gt;</c>.</summary>
    public static string FormatLabels(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var text = string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        return text.Length == 0 ? "<none>" : text;
    }

    /// <summary>kubectl's rendering of a selector: <c>app=x,tier in (a,b),!gone</c>, or <c>&lt;none&gt;</c>.</summary>
    public static string Format(LabelSelector? selector)
    {
        if (IsEmpty(selector))
        {
            return "<none>";
        }

        // As Kubernetes' selector String(): every requirement, sorted by key.
        var parts = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector!.MatchLabels)
        {
            parts.Add((key, $"{key}={value}"));
        }

        foreach (var r in selector.MatchExpressions)
        {
            var values = string.Join(",", r.Values.Order(StringComparer.Ordinal));
            parts.Add((r.Key, r.Operator switch
            {
                "In" => $"{r.Key} in ({values})",
                "NotIn" => $"{r.Key} notin ({values})",
                "Exists" => r.Key,
                "DoesNotExist" => $"!{r.Key}",
                _ => $"{r.Key} {r.Operator} ({values})",
            }));
        }

        return string.Join(",", parts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Text));
    }
}
