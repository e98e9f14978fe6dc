namespace HostDaemons.Model.PodSecurity;

/// <summary>Kubernetes' helpers for the checks' wording: one word or its plural, and quoted lists.</summary>
internal static class PodSecurityText
{
    public static string Pluralize(string singular, string plural, int count) => count == 1 ? singular : plural;

    /// <summary><c>"a", "b"</c>: each item between double quotes, as written (Kubernetes does not escape them).</summary>
    public static string JoinQuote(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "" : "\"" + string.Join("\", \"", list) + "\"";
    }

    /// <summary>Go's %q of a string: quoted, with backslashes and quotes escaped.</summary>
    public static string GoQuote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary><c>container "a"</c> or <c>containers "a", "b"</c>.</summary>
    public static string Containers(IReadOnlyCollection<string> names) => $"{Pluralize("container", "containers", names.Count)} {JoinQuote(names)}";

    /// <summary>Distinct values in Go's sorted order (bytewise).</summary>
    public static List<string> SortedSet(IEnumerable<string> values) => [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
