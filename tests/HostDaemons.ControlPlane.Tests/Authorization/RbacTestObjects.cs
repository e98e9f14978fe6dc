using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.V1;
using static HostDaemons.Model.Rbac.PolicyRuleForms;

namespace HostDaemons.ControlPlane.Tests.Authorization;

/// <summary>Roles, bindings and callers for the RBAC tests.</summary>
internal static class RbacTestObjects
{
    public static CallerIdentity User(string name, params string[] groups) =>
        new(name, [.. groups, "system:authenticated"], AuthenticationMethod.ClientCertificate);

    public static PolicyRule Read(string group, params string[] resources) => Rule(["get", "list", "watch"], [group], resources);

    public static ClusterRole ClusterRole(string name, params PolicyRule[] rules)
    {
        var role = new ClusterRole { ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRole", Metadata = new ObjectMeta { Name = name } };
        role.Rules.Add(rules);
        return role;
    }

    public static Role Role(string @namespace, string name, params PolicyRule[] rules)
    {
        var role = new Role { ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "Role", Metadata = new ObjectMeta { Namespace = @namespace, Name = name } };
        role.Rules.Add(rules);
        return role;
    }

    public static Subject Subject(string kind, string name, string @namespace = "") => new() { Kind = kind, Name = name, Namespace = @namespace };

    public static ClusterRoleBinding ClusterBinding(string name, string clusterRole, params Subject[] subjects)
    {
        var binding = new ClusterRoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "ClusterRoleBinding",
            Metadata = new ObjectMeta { Name = name },
            RoleRef = new RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = clusterRole },
        };
        binding.Subjects.Add(subjects);
        return binding;
    }

    public static RoleBinding Binding(string @namespace, string name, string roleKind, string role, params Subject[] subjects)
    {
        var binding = new RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "RoleBinding",
            Metadata = new ObjectMeta { Namespace = @namespace, Name = name },
            RoleRef = new RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = roleKind, Name = role },
        };
        binding.Subjects.Add(subjects);
        return binding;
    }
}
