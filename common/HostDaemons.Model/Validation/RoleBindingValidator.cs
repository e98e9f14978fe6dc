using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>
/// Kubernetes' RBAC defaults (SetDefaults_RoleBinding, SetDefaults_Subject) and ValidateRoleBinding,
/// ValidateClusterRoleBinding and their updates, with their messages.
/// </summary>
public static class RoleBindingValidator
{
    public const string GroupName = "rbac.authorization.k8s.io";

    /// <summary>The role's API group defaults to RBAC's; a User or Group subject's too (a ServiceAccount's is the core group).</summary>
    public static void ApplyDefaults(RoleRef? roleRef, IEnumerable<Subject> subjects)
    {
        if (roleRef is not null && roleRef.ApiGroup.Length == 0)
        {
            roleRef.ApiGroup = GroupName;
        }

        foreach (var subject in subjects)
        {
            if (subject.ApiGroup.Length == 0 && subject.Kind is "User" or "Group")
            {
                subject.ApiGroup = GroupName;
            }
        }
    }

    public static ValidationErrors Validate(RoleBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(binding.Metadata, namespaced: true, "metadata", errors, ObjectNameRule.PathSegment);
        ValidateRoleRef(binding.RoleRef, ["Role", "ClusterRole"], errors);
        ValidateSubjects(binding.Subjects, namespaced: true, errors);
        return errors;
    }

    public static ValidationErrors Validate(ClusterRoleBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(binding.Metadata, namespaced: false, "metadata", errors, ObjectNameRule.PathSegment);
        ValidateRoleRef(binding.RoleRef, ["ClusterRole"], errors);
        ValidateSubjects(binding.Subjects, namespaced: false, errors);
        return errors;
    }

    /// <summary>A binding's role is fixed for its life: to bind another role, delete the binding and create it again.</summary>
    public static ValidationErrors ValidateUpdate(RoleRef? updated, RoleRef? existing)
    {
        var errors = new ValidationErrors();
        if (!Equals(updated ?? new RoleRef(), existing ?? new RoleRef()))
        {
            var value = updated ?? new RoleRef();
            errors.Invalid("roleRef", new RawValue($"rbac.RoleRef{{APIGroup:\"{value.ApiGroup}\", Kind:\"{value.Kind}\", Name:\"{value.Name}\"}}"), "cannot change roleRef");
        }

        return errors;
    }

    private static void ValidateRoleRef(RoleRef? roleRef, string[] kinds, ValidationErrors errors)
    {
        roleRef ??= new RoleRef();
        if (roleRef.ApiGroup != GroupName)
        {
            errors.NotSupported("roleRef.apiGroup", roleRef.ApiGroup, GroupName);
        }

        if (!kinds.Contains(roleRef.Kind))
        {
            errors.NotSupported("roleRef.kind", roleRef.Kind, kinds);
        }

        if (roleRef.Name.Length == 0)
        {
            errors.Required("roleRef.name");
        }
        else
        {
            foreach (var problem in NameValidation.CheckPathSegmentName(roleRef.Name))
            {
                errors.Invalid("roleRef.name", roleRef.Name, problem);
            }
        }
    }

    /// <summary>
    /// Kubernetes' ValidateRoleBindingSubject: a named ServiceAccount (core group; its namespace required in a
    /// cluster-wide binding), User or Group (RBAC's group).
    /// </summary>
    private static void ValidateSubjects(IReadOnlyList<Subject> subjects, bool namespaced, ValidationErrors errors)
    {
        for (var i = 0; i < subjects.Count; i++)
        {
            var subject = subjects[i];
            var path = $"subjects[{i}]";
            if (subject.Name.Length == 0)
            {
                errors.Required($"{path}.name");
            }

            switch (subject.Kind)
            {
                case "ServiceAccount":
                    if (subject.Name.Length > 0 && !NameValidation.IsDns1123Subdomain(subject.Name))
                    {
                        errors.Invalid($"{path}.name", subject.Name, NameValidation.Dns1123SubdomainMessage);
                    }

                    if (subject.ApiGroup.Length > 0)
                    {
                        errors.NotSupported($"{path}.apiGroup", subject.ApiGroup, "");
                    }

                    if (!namespaced && subject.Namespace.Length == 0)
                    {
                        errors.Required($"{path}.namespace");
                    }

                    break;
                case "User" or "Group":
                    if (subject.ApiGroup != GroupName)
                    {
                        errors.NotSupported($"{path}.apiGroup", subject.ApiGroup, GroupName);
                    }

                    break;
                default:
                    errors.NotSupported($"{path}.kind", subject.Kind, "ServiceAccount", "User", "Group");
                    break;
            }
        }
    }
}
