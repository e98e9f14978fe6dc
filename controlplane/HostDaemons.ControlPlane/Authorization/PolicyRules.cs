using HostDaemons.Model.Rbac;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Authorization;

/// <summary>
/// Kubernetes' RBAC rule semantics: whether a rule allows a request (verbs, API groups, resources with subresources and
/// <c>*/subresource</c>, resource names, non-resource URLs with a trailing <c>*</c>), and whether one set of rules covers
/// another (the escalation check).
/// </summary>
internal static class PolicyRules
{
    public const string All = PolicyRuleForms.All;

    public static bool Allows(PolicyRule rule, in AccessRequest request) => request.IsNonResource
        ? VerbMatches(rule, request.Verb) && NonResourceUrlMatches(rule, request.Path)
        : VerbMatches(rule, request.Verb)
            && ApiGroupMatches(rule, request.ApiGroup)
            && ResourceMatches(rule, request.Subresource.Length == 0 ? request.Resource : $"{request.Resource}/{request.Subresource}", request.Subresource)
            && ResourceNameMatches(rule, request.Name);

    public static bool VerbMatches(PolicyRule rule, string verb) => ContainsOrAll(rule.Verbs, verb);

    public static bool ApiGroupMatches(PolicyRule rule, string group) => ContainsOrAll(rule.ApiGroups, group);

    public static bool ResourceMatches(PolicyRule rule, string combined, string subresource)
    {
        var resources = rule.Resources;
        for (var i = 0; i < resources.Count; i++)
        {
            var resource = resources[i];
            if (resource == All || resource == combined)
            {
                return true;
            }

            if (subresource.Length > 0 && resource.Length == subresource.Length + 2 && resource.StartsWith("*/", StringComparison.Ordinal)
                && resource.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static bool ResourceNameMatches(PolicyRule rule, string name) => rule.ResourceNames.Count == 0 || rule.ResourceNames.Contains(name);

    public static bool NonResourceUrlMatches(PolicyRule rule, string path)
    {
        var urls = rule.NonResourceUrls;
        for (var i = 0; i < urls.Count; i++)
        {
            if (UrlCovers(urls[i], path))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Loops rather than LINQ: every decision runs these for every rule of the caller's bindings.</summary>
    private static bool ContainsOrAll(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == All || values[i] == value)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="owner"/> rules grant everything <paramref name="granted"/> does; the atomic rules they do not are in <paramref name="missing"/>.</summary>
    public static bool Covers(IEnumerable<PolicyRule> owner, IEnumerable<PolicyRule> granted, out List<PolicyRule> missing)
    {
        var ownerRules = owner as IReadOnlyCollection<PolicyRule> ?? [.. owner];
        missing = [.. granted.SelectMany(PolicyRuleForms.Breakdown).Where(atom => !ownerRules.Any(o => RuleCovers(o, atom)))];
        return missing.Count == 0;
    }

    private static bool RuleCovers(PolicyRule owner, PolicyRule atom)
    {
        var verbs = owner.Verbs.Contains(All) || atom.Verbs.All(owner.Verbs.Contains);
        var groups = owner.ApiGroups.Contains(All) || atom.ApiGroups.All(owner.ApiGroups.Contains);
        var resources = ResourcesCover(owner.Resources, atom.Resources);
        var urls = atom.NonResourceUrls.All(path => owner.NonResourceUrls.Any(url => UrlCovers(url, path)));
        var names = atom.ResourceNames.Count == 0
            ? owner.ResourceNames.Count == 0
            : owner.ResourceNames.Count == 0 || atom.ResourceNames.All(owner.ResourceNames.Contains);
        return verbs && groups && resources && urls && names;
    }

    private static bool ResourcesCover(IReadOnlyCollection<string> owner, IEnumerable<string> resources)
    {
        if (owner.Contains(All))
        {
            return true;
        }

        foreach (var resource in resources)
        {
            if (owner.Contains(resource))
            {
                continue;
            }

            var slash = resource.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !owner.Contains("*/" + resource[(slash + 1)..]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool UrlCovers(string owner, string path) =>
        owner == All || owner == path || (owner.EndsWith('*') && path.StartsWith(owner.TrimEnd('*'), StringComparison.Ordinal));
}
