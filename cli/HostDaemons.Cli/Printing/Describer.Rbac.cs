using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>The descriptions of RBAC roles and bindings and of PriorityClasses (kubectl prints no events for the RBAC kinds).</summary>
internal sealed partial class Describer
{
    public static string Role(Role role) => RoleText(role.Metadata, role.Rules);

    public static string ClusterRole(ClusterRole role) => RoleText(role.Metadata, role.Rules);

    public static string RoleBinding(RoleBinding binding) => BindingText(binding.Metadata, binding.RoleRef, binding.Subjects);

    public static string ClusterRoleBinding(ClusterRoleBinding binding) => BindingText(binding.Metadata, binding.RoleRef, binding.Subjects);

    /// <summary>kubectl's describePriorityClass.</summary>
    public string PriorityClass(PriorityClass value, IEnumerable<Event> events)
    {
        var w = new DescribeWriter();
        var meta = value.Metadata ?? new ObjectMeta();
        w.Write(0, $"Name:\t{meta.Name}\n");
        w.Write(0, $"Value:\t{N(value.Value)}\n");
        w.Write(0, $"GlobalDefault:\t{(value.GlobalDefault ? "true" : "false")}\n");
        w.Write(0, $"PreemptionPolicy:\t{value.PreemptionPolicy}\n");
        w.Write(0, $"Description:\t{value.Description}\n");
        w.Write(0, $"Annotations:\t{Model.Labels.LabelSelectors.FormatLabels(meta.Annotations)}\n");
        Events(w, About(events, value));
        return w.ToString();
    }

    /// <summary>
    /// kubectl's RoleDescriber: the rules broken down to one verb each, those about one resource of one group merged
    /// again (CompactRules), sorted by their Go form, as a PolicyRule table. There is no Namespace line, as in kubectl.
    /// </summary>
    private static string RoleText(ObjectMeta? meta, IEnumerable<PolicyRule> rules)
    {
        var w = Header(meta, withNamespace: false);
        w.Write(0, "PolicyRule:\n");
        w.Write(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
        w.Write(1, "---------\t-----------------\t--------------\t-----\n");
        var compact = Compact(rules.SelectMany(Breakdown)).OrderBy(GoString, StringComparer.Ordinal);
        foreach (var rule in compact)
        {
            w.Write(1, $"{CombineResourceGroup(rule.Resources, rule.ApiGroups)}\t{GoList(rule.NonResourceUrls)}\t{GoList(rule.ResourceNames)}\t{GoList(rule.Verbs)}\n");
        }

        return w.ToString();
    }

    private static string BindingText(ObjectMeta? meta, RoleRef? roleRef, IEnumerable<Subject> subjects)
    {
        var w = Header(meta, withNamespace: false);
        w.Write(0, "Role:\n");
        w.Write(1, $"Kind:\t{roleRef?.Kind}\n");
        w.Write(1, $"Name:\t{roleRef?.Name}\n");
        w.Write(0, "Subjects:\n");
        w.Write(1, "Kind\tName\tNamespace\n");
        w.Write(1, "----\t----\t---------\n");
        foreach (var subject in subjects)
        {
            w.Write(1, $"{subject.Kind}\t{subject.Name}\t{subject.Namespace}\n");
        }

        return w.ToString();
    }

    /// <summary>kubectl's BreakdownRule: one rule per group, resource, verb (and resource name), and per URL and verb.</summary>
    private static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        foreach (var group in rule.ApiGroups)
        {
            foreach (var resource in rule.Resources)
            {
                foreach (var verb in rule.Verbs)
                {
                    if (rule.ResourceNames.Count == 0)
                    {
                        yield return new PolicyRule { ApiGroups = { group }, Resources = { resource }, Verbs = { verb } };
                        continue;
                    }

                    foreach (var name in rule.ResourceNames)
                    {
                        yield return new PolicyRule { ApiGroups = { group }, Resources = { resource }, Verbs = { verb }, ResourceNames = { name } };
                    }
                }
            }
        }

        foreach (var url in rule.NonResourceUrls)
        {
            foreach (var verb in rule.Verbs)
            {
                yield return new PolicyRule { NonResourceUrls = { url }, Verbs = { verb } };
            }
        }
    }

    /// <summary>kubectl's CompactRules: rules about one resource of one group (and at most one name) gather their verbs.</summary>
    private static List<PolicyRule> Compact(IEnumerable<PolicyRule> rules)
    {
        var compacted = new List<PolicyRule>();
        var simple = new Dictionary<(string Group, string Resource, string? Name), PolicyRule>();
        foreach (var rule in rules)
        {
            if (rule.NonResourceUrls.Count > 0 || rule.ResourceNames.Count > 1 || rule.ApiGroups.Count != 1 || rule.Resources.Count != 1)
            {
                compacted.Add(rule);
                continue;
            }

            var key = (rule.ApiGroups[0], rule.Resources[0], rule.ResourceNames.Count == 1 ? rule.ResourceNames[0] : null);
            if (simple.TryGetValue(key, out var existing))
            {
                existing.Verbs.Add(rule.Verbs.Where(v => !existing.Verbs.Contains(v)).ToList());
            }
            else
            {
                simple[key] = rule.Clone();
            }
        }

        compacted.AddRange(simple.Values);
        return compacted;
    }

    /// <summary>kubectl's CombineResourceGroup: <c>pods</c>, <c>deployments.apps</c>, <c>pods/log</c> from the first resource and group.</summary>
    private static string CombineResourceGroup(IReadOnlyList<string> resources, IReadOnlyList<string> groups)
    {
        if (resources.Count == 0)
        {
            return "";
        }

        var parts = resources[0].Split('/', 2);
        var combined = groups.Count > 0 && groups[0].Length > 0 ? $"{parts[0]}.{groups[0]}" : parts[0];
        return parts.Length == 2 ? $"{combined}/{parts[1]}" : combined;
    }

    /// <summary>The generated Go String() of a rule, by which kubectl sorts them.</summary>
    private static string GoString(PolicyRule rule) =>
        $"&PolicyRule{{Verbs:{GoList(rule.Verbs)},APIGroups:{GoList(rule.ApiGroups)},Resources:{GoList(rule.Resources)},ResourceNames:{GoList(rule.ResourceNames)},NonResourceURLs:{GoList(rule.NonResourceUrls)},}}";

    /// <summary>Go's <c>%v</c> of a string slice: <c>[get list watch]</c>.</summary>
    private static string GoList(IEnumerable<string> values) => "[" + string.Join(" ", values) + "]";
}
