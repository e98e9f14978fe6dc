using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>Kubernetes' ValidateRole, ValidateClusterRole and ValidatePolicyRule (rbac.authorization.k8s.io), with their messages.</summary>
public static class RoleValidator
{
    public static ValidationErrors Validate(Role role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(role.Metadata, namespaced: true, "metadata", errors, ObjectNameRule.PathSegment);
        ValidateRules(role.Rules, namespaced: true, errors);
        return errors;
    }

    public static ValidationErrors Validate(ClusterRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(role.Metadata, namespaced: false, "metadata", errors, ObjectNameRule.PathSegment);
        ValidateRules(role.Rules, namespaced: false, errors);
        if (role.AggregationRule is { } aggregation)
        {
            if (aggregation.ClusterRoleSelectors.Count == 0)
            {
                errors.Required("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil");
            }

            for (var i = 0; i < aggregation.ClusterRoleSelectors.Count; i++)
            {
                LabelSelectorValidator.Validate(aggregation.ClusterRoleSelectors[i], $"aggregationRule.clusterRoleSelectors[{i}]", errors);
            }
        }

        return errors;
    }

    /// <summary>
    /// Every rule has verbs; a rule is either about resources (then with API groups and resources) or about non-resource
    /// URLs, which only cluster-wide roles may name.
    /// </summary>
    private static void ValidateRules(IReadOnlyList<PolicyRule> rules, bool namespaced, ValidationErrors errors)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var path = $"rules[{i}]";
            if (rule.Verbs.Count == 0)
            {
                errors.Required($"{path}.verbs", "verbs must contain at least one value");
            }

            if (rule.NonResourceUrls.Count > 0)
            {
                var urls = new RawValue(GoStrings.StringSlice(rule.NonResourceUrls));
                if (namespaced)
                {
                    errors.Invalid($"{path}.nonResourceURLs", urls, "namespaced rules cannot apply to non-resource URLs");
                }

                if (rule.ApiGroups.Count > 0 || rule.Resources.Count > 0 || rule.ResourceNames.Count > 0)
                {
                    errors.Invalid($"{path}.nonResourceURLs", urls, "rules cannot apply to both regular resources and non-resource URLs");
                }

                continue;
            }

            if (rule.ApiGroups.Count == 0)
            {
                errors.Required($"{path}.apiGroups", "resource rules must supply at least one api group");
            }

            if (rule.Resources.Count == 0)
            {
                errors.Required($"{path}.resources", "resource rules must supply at least one resource");
            }
        }
    }
}
