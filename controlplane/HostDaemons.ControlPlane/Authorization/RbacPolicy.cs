using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Labels;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Authorization;

/// <summary>
/// The RBAC objects at one moment, resolved for evaluation: every binding's rules looked up once (ClusterRoles with an
/// aggregationRule get the union of the rules of the ClusterRoles they select, as Kubernetes' aggregation controller
/// computes them) and indexed by the user, group or service account it names, so a decision reads only the grants of
/// the caller's own names. Immutable; <see cref="RbacAuthorizer"/> builds a new one when the objects change.
/// </summary>
internal sealed class RbacPolicy
{
    private const string ServiceAccountUserPrefix = "system:serviceaccount:";

    private static readonly List<Grant> s_none = [];

    private readonly Dictionary<string, List<Grant>> _clusterByUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Grant>> _clusterByGroup = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), List<Grant>> _namespacedByUser = [];
    private readonly Dictionary<(string Namespace, string Name), List<Grant>> _namespacedByGroup = [];
    private readonly Dictionary<string, IReadOnlyList<PolicyRule>> _clusterRoleRules;
    private readonly Dictionary<(string Namespace, string Name), Role> _roles;

    public RbacPolicy(IEnumerable<Role> roles, IEnumerable<ClusterRole> clusterRoles, IEnumerable<RoleBinding> roleBindings, IEnumerable<ClusterRoleBinding> clusterRoleBindings)
    {
        _roles = roles.ToDictionary(r => (r.Metadata.Namespace, r.Metadata.Name));
        _clusterRoleRules = AggregatedRules([.. clusterRoles]);
        foreach (var binding in clusterRoleBindings)
        {
            var (rules, error) = RulesOf(binding.RoleRef, "");
            foreach (var subject in binding.Subjects)
            {
                var grant = new Grant($"ClusterRoleBinding \"{binding.Metadata.Name}\" of {binding.RoleRef.Kind} \"{binding.RoleRef.Name}\" to {Describe(subject, "")}", rules, error);
                Index(subject, "", grant, _clusterByUser, _clusterByGroup, name => name);
            }
        }

        foreach (var binding in roleBindings)
        {
            var ns = binding.Metadata.Namespace;
            var (rules, error) = RulesOf(binding.RoleRef, ns);
            foreach (var subject in binding.Subjects)
            {
                var grant = new Grant($"RoleBinding \"{binding.Metadata.Name}/{ns}\" of {binding.RoleRef.Kind} \"{binding.RoleRef.Name}\" to {Describe(subject, ns)}", rules, error);
                Index(subject, ns, grant, _namespacedByUser, _namespacedByGroup, name => (ns, name));
            }
        }
    }

    public static RbacPolicy Empty { get; } = new([], [], [], []);

    /// <summary>Kubernetes' RBAC decision: allowed by the first rule of the caller's grants that matches, else no opinion (a denial).</summary>
    public AccessDecision Authorize(in AccessRequest request)
    {
        List<string>? errors = null;
        foreach (var grant in Grants(request.Caller, request.Namespace))
        {
            if (grant.Error is not null)
            {
                (errors ??= []).Add(grant.Error);
                continue;
            }

            foreach (var rule in grant.Rules)
            {
                if (PolicyRules.Allows(rule, request))
                {
                    return AccessDecision.Allow(grant.Reason);
                }
            }
        }

        return AccessDecision.Deny(errors is null ? "" : $"RBAC: {ResolutionErrors(errors)}");
    }

    /// <summary>Every rule the caller holds in <paramref name="namespace"/> (cluster-wide ones included; empty: cluster-wide only), and the bindings that could not be resolved.</summary>
    public (IReadOnlyList<PolicyRule> Rules, IReadOnlyList<string> Errors) RulesFor(CallerIdentity caller, string @namespace)
    {
        var rules = new List<PolicyRule>();
        var errors = new List<string>();
        foreach (var grant in Grants(caller, @namespace))
        {
            if (grant.Error is not null)
            {
                errors.Add(grant.Error);
            }

            rules.AddRange(grant.Rules);
        }

        return (rules, errors);
    }

    /// <summary>The rules a role reference grants in a namespace, as a binding there would (for the escalation check of bindings).</summary>
    public (IReadOnlyList<PolicyRule> Rules, string? Error) RulesOf(RoleRef roleRef, string @namespace) => roleRef.Kind switch
    {
        "ClusterRole" => _clusterRoleRules.TryGetValue(roleRef.Name, out var rules)
            ? (rules, null)
            : ([], $"clusterrole.rbac.authorization.k8s.io \"{roleRef.Name}\" not found"),
        "Role" when @namespace.Length > 0 => _roles.TryGetValue((@namespace, roleRef.Name), out var role)
            ? (role.Rules, null)
            : ([], $"role.rbac.authorization.k8s.io \"{roleRef.Name}\" not found"),
        _ => ([], $"unknown roleRef kind \"{roleRef.Kind}\""),
    };

    /// <summary>The rules of a ClusterRole after aggregation.</summary>
    public IReadOnlyList<PolicyRule>? ClusterRoleRules(string name) => _clusterRoleRules.GetValueOrDefault(name);

    /// <summary>
    /// The rules of a ClusterRole with an aggregationRule: those of every other ClusterRole its selectors match (each
    /// aggregated itself first, so <c>admin</c> gets <c>edit</c>'s, which has <c>view</c>'s), without duplicates, by role name.
    /// </summary>
    public static Dictionary<string, IReadOnlyList<PolicyRule>> AggregatedRules(IReadOnlyList<ClusterRole> clusterRoles)
    {
        var byName = clusterRoles.ToDictionary(r => r.Metadata.Name, StringComparer.Ordinal);
        var resolved = new Dictionary<string, IReadOnlyList<PolicyRule>>(StringComparer.Ordinal);
        var resolving = new HashSet<string>(StringComparer.Ordinal);

        IReadOnlyList<PolicyRule> Resolve(ClusterRole role)
        {
            var name = role.Metadata.Name;
            if (resolved.TryGetValue(name, out var known))
            {
                return known;
            }

            if (role.AggregationRule is null || !resolving.Add(name))
            {
                return role.Rules;
            }

            var rules = new List<PolicyRule>();
            foreach (var source in byName.Values.Where(r => r.Metadata.Name != name).OrderBy(r => r.Metadata.Name, StringComparer.Ordinal))
            {
                if (role.AggregationRule.ClusterRoleSelectors.Any(s => LabelSelectors.Matches(s, source.Metadata.Labels)))
                {
                    rules.AddRange(Resolve(source).Where(rule => !rules.Contains(rule)));
                }
            }

            resolving.Remove(name);
            resolved[name] = rules;
            return rules;
        }

        foreach (var role in clusterRoles)
        {
            resolved[role.Metadata.Name] = Resolve(role);
        }

        return resolved;
    }

    private IEnumerable<Grant> Grants(CallerIdentity caller, string @namespace)
    {
        foreach (var grant in Lookup(_clusterByUser, caller.User))
        {
            yield return grant;
        }

        foreach (var group in caller.Groups)
        {
            foreach (var grant in Lookup(_clusterByGroup, group))
            {
                yield return grant;
            }
        }

        if (@namespace.Length == 0)
        {
            yield break;
        }

        foreach (var grant in Lookup(_namespacedByUser, (@namespace, caller.User)))
        {
            yield return grant;
        }

        foreach (var group in caller.Groups)
        {
            foreach (var grant in Lookup(_namespacedByGroup, (@namespace, group)))
            {
                yield return grant;
            }
        }
    }

    private static List<Grant> Lookup<TKey>(Dictionary<TKey, List<Grant>> index, TKey key)
        where TKey : notnull => index.TryGetValue(key, out var grants) ? grants : s_none;

    private static void Index<TKey>(Subject subject, string bindingNamespace, Grant grant, Dictionary<TKey, List<Grant>> byUser, Dictionary<TKey, List<Grant>> byGroup, Func<string, TKey> key)
        where TKey : notnull
    {
        switch (subject.Kind)
        {
            case "User":
                Add(byUser, key(subject.Name));
                break;
            case "Group":
                Add(byGroup, key(subject.Name));
                break;
            case "ServiceAccount" when (subject.Namespace.Length > 0 ? subject.Namespace : bindingNamespace) is { Length: > 0 } ns:
                Add(byUser, key(ServiceAccountUser(ns, subject.Name)));
                break;
        }

        void Add(Dictionary<TKey, List<Grant>> index, TKey k)
        {
            if (!index.TryGetValue(k, out var list))
            {
                index[k] = list = [];
            }

            list.Add(grant);
        }
    }

    public static string ServiceAccountUser(string @namespace, string name) => $"{ServiceAccountUserPrefix}{@namespace}:{name}";

    /// <summary>The namespace and name of a <c>system:serviceaccount:NS:NAME</c> user, or null.</summary>
    public static (string Namespace, string Name)? ParseServiceAccountUser(string user)
    {
        if (!user.StartsWith(ServiceAccountUserPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = user[ServiceAccountUserPrefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < rest.Length - 1 && rest.IndexOf(':', colon + 1) < 0 ? (rest[..colon], rest[(colon + 1)..]) : null;
    }

    private static string Describe(Subject subject, string bindingNamespace) => subject.Kind == "ServiceAccount"
        ? $"ServiceAccount \"{subject.Name}/{(subject.Namespace.Length > 0 ? subject.Namespace : bindingNamespace)}\""
        : $"{subject.Kind} \"{subject.Name}\"";

    private static string ResolutionErrors(List<string> errors) => errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]";

    private sealed record Grant(string Source, IReadOnlyList<PolicyRule> Rules, string? Error)
    {
        /// <summary>Kubernetes' reason for an allowed request, made once per binding rather than once per decision.</summary>
        public string Reason { get; } = $"RBAC: allowed by {Source}";
    }
}
