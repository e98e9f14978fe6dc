using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Rbac;

/// <summary>
/// The shapes of RBAC rules, as Kubernetes compares and prints them: broken down to one rule per group, resource, verb
/// and name (and per URL and verb), compacted back (rules on one group and resource without names share one rule with
/// all their verbs) and written as the compact text its messages and <c>kubectl auth can-i --list</c> use.
/// </summary>
public static class PolicyRuleForms
{
    public const string All = "*";

    public static PolicyRule Rule(IEnumerable<string> verbs, IEnumerable<string>? groups = null, IEnumerable<string>? resources = null,
        IEnumerable<string>? names = null, IEnumerable<string>? urls = null)
    {
        var rule = new PolicyRule();
        rule.Verbs.Add(verbs);
        rule.ApiGroups.Add(groups ?? []);
        rule.Resources.Add(resources ?? []);
        rule.ResourceNames.Add(names ?? []);
        rule.NonResourceUrls.Add(urls ?? []);
        return rule;
    }

    public static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        foreach (var group in rule.ApiGroups)
        {
            foreach (var resource in rule.Resources)
            {
                foreach (var verb in rule.Verbs)
                {
                    if (rule.ResourceNames.Count == 0)
                    {
                        yield return Rule([verb], [group], [resource]);
                        continue;
                    }

                    foreach (var name in rule.ResourceNames)
                    {
                        yield return Rule([verb], [group], [resource], [name]);
                    }
                }
            }
        }

        foreach (var url in rule.NonResourceUrls)
        {
            foreach (var verb in rule.Verbs)
            {
                yield return Rule([verb], urls: [url]);
            }
        }
    }

    /// <summary>Broken-down rules merged back: one rule per group and resource without names, with every verb in first-seen order; duplicates dropped; sorted by text.</summary>
    public static IReadOnlyList<PolicyRule> Compact(IEnumerable<PolicyRule> atoms)
    {
        var merged = new List<PolicyRule>();
        var byResource = new Dictionary<(string Group, string Resource), PolicyRule>();
        foreach (var atom in atoms)
        {
            if (atom.ResourceNames.Count == 0 && atom.NonResourceUrls.Count == 0 && atom.ApiGroups.Count == 1 && atom.Resources.Count == 1)
            {
                var key = (atom.ApiGroups[0], atom.Resources[0]);
                if (byResource.TryGetValue(key, out var existing))
                {
                    existing.Verbs.Add(atom.Verbs.Where(v => !existing.Verbs.Contains(v)));
                    continue;
                }

                var copy = atom.Clone();
                byResource[key] = copy;
                merged.Add(copy);
                continue;
            }

            if (!merged.Contains(atom))
            {
                merged.Add(atom);
            }
        }

        return [.. merged.OrderBy(CompactString, StringComparer.Ordinal)];
    }

    /// <summary>Kubernetes' compact rule text: <c>{APIGroups:["apps"], Resources:["daemonsets"], Verbs:["create"]}</c>.</summary>
    public static string CompactString(PolicyRule rule)
    {
        var parts = new List<string>(5);
        Add("APIGroups", rule.ApiGroups);
        Add("Resources", rule.Resources);
        Add("NonResourceURLs", rule.NonResourceUrls);
        Add("ResourceNames", rule.ResourceNames);
        Add("Verbs", rule.Verbs);
        return "{" + string.Join(", ", parts) + "}";

        void Add(string name, IReadOnlyCollection<string> values)
        {
            if (values.Count > 0)
            {
                parts.Add($"{name}:{GoQuotedSlice(values)}");
            }
        }
    }

    /// <summary>A string slice as Go's <c>%q</c> prints it: <c>["a" "b"]</c>.</summary>
    public static string GoQuotedSlice(IEnumerable<string> values) => "[" + string.Join(" ", values.Select(GoStrings.Quote)) + "]";

    /// <summary>A string slice as Go's <c>%v</c> prints it: <c>[a b]</c>.</summary>
    public static string GoSlice(IEnumerable<string> values) => "[" + string.Join(" ", values) + "]";

    /// <summary>kubectl's resource column: each resource with its group, <c>daemonsets.apps</c>, <c>pods</c>, comma-separated.</summary>
    public static string CombineResourceGroup(IReadOnlyCollection<string> resources, IReadOnlyCollection<string> groups)
    {
        if (resources.Count == 0)
        {
            return "";
        }

        var parts = new List<string>();
        foreach (var resource in resources)
        {
            foreach (var group in groups.DefaultIfEmpty(""))
            {
                parts.Add(group.Length == 0 ? resource : $"{resource}.{group}");
            }
        }

        return string.Join(", ", parts);
    }
}
