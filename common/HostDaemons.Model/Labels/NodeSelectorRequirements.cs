using System.Globalization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Labels;

/// <summary>
/// Node affinity's requirements, as Kubernetes' <c>nodeaffinity</c> package matches them: In, NotIn, Exists,
/// DoesNotExist, Gt and Lt on labels; In and NotIn on the field <c>metadata.name</c>.
/// </summary>
public static class NodeSelectorRequirements
{
    /// <summary>The one field a matchFields requirement may name.</summary>
    public const string NameField = "metadata.name";

    /// <summary>
    /// True when the labels satisfy the requirement. NotIn and DoesNotExist hold for a missing label; Gt and Lt need the
    /// label and both it and the single value as integers, else they do not hold.
    /// </summary>
    public static bool Matches(NodeSelectorRequirement requirement, IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(requirement.Key, out var actual);
        return requirement.Operator switch
        {
            "In" => present && requirement.Values.Contains(actual),
            "NotIn" => !present || !requirement.Values.Contains(actual),
            "Exists" => present,
            "DoesNotExist" => !present,
            "Gt" => present && Compare(actual!, requirement.Values) is > 0,
            "Lt" => present && Compare(actual!, requirement.Values) is < 0,
            _ => false,
        };
    }

    /// <summary>True when the node's fields satisfy a matchFields requirement (only <c>metadata.name</c> exists).</summary>
    public static bool MatchesField(NodeSelectorRequirement requirement, string nodeName) =>
        requirement.Key == NameField && Matches(requirement, new Dictionary<string, string>(StringComparer.Ordinal) { [NameField] = nodeName });

    /// <summary>kubectl describe's form: <c>zone in [a, b]</c>, <c>gpu exists</c>, <c>cores gt [4]</c>.</summary>
    public static string Format(NodeSelectorRequirement requirement)
    {
        var text = $"{requirement.Key} {requirement.Operator.ToLowerInvariant()}";
        return requirement.Values.Count == 0 ? text : $"{text} [{string.Join(", ", requirement.Values)}]";
    }

    /// <summary>A term's requirements, ANDed: <c>zone in [a, b], metadata.name notin [n1]</c>.</summary>
    public static string Format(NodeSelectorTerm term) =>
        string.Join(", ", term.MatchExpressions.Concat(term.MatchFields).Select(Format));

    /// <summary>Whether a Gt/Lt value is an integer, as Kubernetes parses it (a 64-bit signed decimal).</summary>
    public static bool IsInteger(string value) => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    /// <summary>The label against the single value: its sign, or null when either is not an integer or there is not one value.</summary>
    private static int? Compare(string actual, IList<string> values)
    {
        if (values.Count != 1
            || !long.TryParse(actual, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var label)
            || !long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
        {
            return null;
        }

        return label.CompareTo(bound);
    }
}
