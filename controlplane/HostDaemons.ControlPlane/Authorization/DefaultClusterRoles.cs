using HostDaemons.Model.Objects;
using HostDaemons.Model.Security;
using HostDaemons.Model.V1;
using static HostDaemons.Model.Rbac.PolicyRuleForms;

namespace HostDaemons.ControlPlane.Authorization;

/// <summary>
/// Kubernetes' bootstrap RBAC policy for the resources HostDaemons has: <c>cluster-admin</c>; the user-facing
/// <c>admin</c>, <c>edit</c> and <c>view</c>, aggregated from the <c>system:aggregate-to-*</c> roles through the
/// <c>rbac.authorization.k8s.io/aggregate-to-*</c> labels (so a cluster's own roles can extend them the same way); the
/// self-review and discovery roles every authenticated user holds; and their bindings. <c>view</c> reads no Secrets.
/// </summary>
internal static class DefaultClusterRoles
{
    public const string BootstrappingLabel = "kubernetes.io/bootstrapping";
    public const string BootstrappingValue = "rbac-defaults";
    public const string AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate";
    public const string AggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
    public const string AggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
    public const string AggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

    public const string ClusterAdmin = "cluster-admin";
    public const string UnauthenticatedGroup = "system:unauthenticated";

    private static readonly string[] s_read = ["get", "list", "watch"];
    private static readonly string[] s_write = ["create", "delete", "deletecollection", "patch", "update"];
    private static readonly string[] s_readWrite = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static IReadOnlyList<ClusterRole> Roles { get; } =
    [
        Role(ClusterAdmin, [Rule([All], [All], [All]), Rule([All], urls: [All])], labels: []),
        Aggregating("admin", AggregateToAdmin),
        Aggregating("edit", AggregateToEdit, AggregateToAdmin),
        Aggregating("view", AggregateToView, AggregateToEdit),
        Role("system:aggregate-to-admin", [
            Rule(s_readWrite, ["rbac.authorization.k8s.io"], ["rolebindings", "roles"]),
            Rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
        ], labels: [AggregateToAdmin]),
        Role("system:aggregate-to-edit", [
            Rule(s_write, [""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"]),
            Rule(s_read, [""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"]),
            Rule(["impersonate"], [""], ["serviceaccounts"]),
            Rule(s_write, [""], ["configmaps", "events", "secrets", "serviceaccounts", "services", "services/proxy"]),
            Rule(["create"], [""], ["serviceaccounts/token"]),
            Rule(s_write, ["apps"], ["daemonsets"]),
            Rule(s_write, ["discovery.k8s.io"], ["endpointslices"]),
        ], labels: [AggregateToEdit]),
        Role("system:aggregate-to-view", [
            Rule(s_read, [""], ["configmaps", "endpoints", "pods", "serviceaccounts", "services", "services/status"]),
            Rule(s_read, [""], ["events", "namespaces", "namespaces/status", "pods/log", "pods/status"]),
            Rule(s_read, ["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status"]),
            Rule(s_read, ["discovery.k8s.io"], ["endpointslices"]),
        ], labels: [AggregateToView]),
        Role("system:basic-user", [
            Rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
            Rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
        ], labels: []),
        Role("system:discovery", [
            Rule(["get"], urls: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]),
        ], labels: []),
        Role("system:service-account-issuer-discovery", [
            Rule(["get"], urls: ["/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks", "/openid/v1/jwks/"]),
        ], labels: []),
        Role("system:public-info-viewer", [
            Rule(["get"], urls: ["/healthz", "/livez", "/readyz", "/version", "/version/"]),
        ], labels: []),
    ];

    public static IReadOnlyList<ClusterRoleBinding> Bindings { get; } =
    [
        Binding(ClusterAdmin, ClusterAdmin, ClusterIdentities.MastersGroup),
        Binding("system:basic-user", "system:basic-user", ClusterIdentities.AuthenticatedGroup),
        Binding("system:discovery", "system:discovery", ClusterIdentities.AuthenticatedGroup),
        Binding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", "system:serviceaccounts"),
        Binding("system:public-info-viewer", "system:public-info-viewer", ClusterIdentities.AuthenticatedGroup, UnauthenticatedGroup),
    ];

    private static ClusterRole Aggregating(string name, string selectorLabel, params string[] labels)
    {
        var role = Role(name, [], labels);
        role.AggregationRule = new AggregationRule();
        role.AggregationRule.ClusterRoleSelectors.Add(new LabelSelector { MatchLabels = { [selectorLabel] = "true" } });
        return role;
    }

    private static ClusterRole Role(string name, IEnumerable<PolicyRule> rules, IEnumerable<string> labels)
    {
        var role = new ClusterRole
        {
            ApiVersion = ResourceKinds.ClusterRole.ApiVersion,
            Kind = ResourceKinds.ClusterRole.KindName,
            Metadata = Meta(name),
        };
        role.Rules.Add(rules);
        foreach (var label in labels)
        {
            role.Metadata.Labels[label] = "true";
        }

        return role;
    }

    private static ClusterRoleBinding Binding(string name, string role, params string[] groups)
    {
        var binding = new ClusterRoleBinding
        {
            ApiVersion = ResourceKinds.ClusterRoleBinding.ApiVersion,
            Kind = ResourceKinds.ClusterRoleBinding.KindName,
            Metadata = Meta(name),
            RoleRef = new RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role },
        };
        binding.Subjects.Add(groups.Select(g => new Subject { Kind = "Group", ApiGroup = "rbac.authorization.k8s.io", Name = g }));
        return binding;
    }

    private static ObjectMeta Meta(string name) => new()
    {
        Name = name,
        Labels = { [BootstrappingLabel] = BootstrappingValue },
        Annotations = { [AutoUpdateAnnotation] = "true" },
    };
}
