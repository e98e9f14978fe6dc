using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.Authorization.RbacTestObjects;
using static HostDaemons.Model.Rbac.PolicyRuleForms;

namespace HostDaemons.ControlPlane.Tests.Authorization;

public sealed class RbacPolicyTests
{
    private static readonly RbacPolicy s_defaults = new([], DefaultClusterRoles.Roles, [], DefaultClusterRoles.Bindings);

    [Fact]
    public void ClusterRoleBinding_ToUser_AllowsEverywhere_WithKubernetesReason()
    {
        var policy = new RbacPolicy([], [ClusterRole("reader", Read("apps", "daemonsets"))], [], [ClusterBinding("alice-reads", "reader", Subject("User", "alice"))]);

        var decision = policy.Authorize(new AccessRequest(User("alice"), "list", "apps", "daemonsets", Namespace: "prod"));

        Assert.Equal(AccessDecision.Allow("RBAC: allowed by ClusterRoleBinding \"alice-reads\" of ClusterRole \"reader\" to User \"alice\""), decision);
        Assert.False(policy.Authorize(new AccessRequest(User("bob"), "list", "apps", "daemonsets", Namespace: "prod")).Allowed);
    }

    [Fact]
    public void RoleBinding_AllowsOnlyInItsNamespace()
    {
        var policy = new RbacPolicy([], [ClusterRole("reader", Read("apps", "daemonsets"))], [Binding("team", "ops", "ClusterRole", "reader", Subject("Group", "ops"))], []);
        var carol = User("carol", "ops");

        Assert.True(policy.Authorize(new AccessRequest(carol, "get", "apps", "daemonsets", Namespace: "team", Name: "x")).Allowed);
        Assert.False(policy.Authorize(new AccessRequest(carol, "get", "apps", "daemonsets", Namespace: "default", Name: "x")).Allowed);
        Assert.False(policy.Authorize(new AccessRequest(carol, "list", "apps", "daemonsets")).Allowed);
    }

    [Fact]
    public void RoleBinding_ToRole_UsesTheRoleOfItsNamespace()
    {
        var policy = new RbacPolicy(
            [Role("team", "pod-reader", Read("", "pods")), Role("other", "pod-reader", Read("", "secrets"))], [],
            [Binding("team", "read", "Role", "pod-reader", Subject("User", "dave"))], []);

        Assert.True(policy.Authorize(new AccessRequest(User("dave"), "get", "", "pods", Namespace: "team", Name: "p")).Allowed);
        Assert.False(policy.Authorize(new AccessRequest(User("dave"), "get", "", "secrets", Namespace: "team", Name: "s")).Allowed);
    }

    [Fact]
    public void ServiceAccountSubject_MatchesItsUser_NamespaceDefaultingToTheBindings()
    {
        var policy = new RbacPolicy([], [ClusterRole("reader", Read("", "pods"))],
            [Binding("team", "sa", "ClusterRole", "reader", Subject("ServiceAccount", "builder"))],
            [ClusterBinding("fluentd", "reader", Subject("ServiceAccount", "fluentd-account", "kube-system"))]);
        var fluentd = new CallerIdentity("system:serviceaccount:kube-system:fluentd-account", ["system:serviceaccounts", "system:authenticated"], AuthenticationMethod.BearerToken);
        var builder = new CallerIdentity("system:serviceaccount:team:builder", ["system:serviceaccounts"], AuthenticationMethod.BearerToken);
        var impostor = new CallerIdentity("system:serviceaccount:default:builder", ["system:serviceaccounts"], AuthenticationMethod.BearerToken);

        Assert.Equal("RBAC: allowed by ClusterRoleBinding \"fluentd\" of ClusterRole \"reader\" to ServiceAccount \"fluentd-account/kube-system\"",
            policy.Authorize(new AccessRequest(fluentd, "list", "", "pods", Namespace: "default")).Reason);
        Assert.Equal("RBAC: allowed by RoleBinding \"sa/team\" of ClusterRole \"reader\" to ServiceAccount \"builder/team\"",
            policy.Authorize(new AccessRequest(builder, "list", "", "pods", Namespace: "team")).Reason);
        Assert.False(policy.Authorize(new AccessRequest(impostor, "list", "", "pods", Namespace: "team")).Allowed);
    }

    [Fact]
    public void MissingRole_DeniesWithTheResolutionError()
    {
        var policy = new RbacPolicy([], [], [], [ClusterBinding("b", "gone", Subject("User", "erin"))]);

        var decision = policy.Authorize(new AccessRequest(User("erin"), "get", "", "pods", Namespace: "default", Name: "p"));

        Assert.Equal(AccessDecision.Deny("RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found"), decision);
    }

    [Fact]
    public void Aggregation_AdminHasEditHasView_AndViewReadsNoSecrets()
    {
        var view = s_defaults.ClusterRoleRules("view")!;
        var edit = s_defaults.ClusterRoleRules("edit")!;
        var admin = s_defaults.ClusterRoleRules("admin")!;

        Assert.All(view, rule => Assert.Contains(rule, edit));
        Assert.All(edit, rule => Assert.Contains(rule, admin));
        Assert.DoesNotContain(view, rule => rule.Resources.Contains("secrets") || rule.Resources.Contains("*"));
        Assert.Contains(edit, rule => rule.Resources.Contains("secrets") && rule.Verbs.Contains("get"));
        Assert.Contains(admin, rule => rule.Resources.Contains("rolebindings"));
        Assert.DoesNotContain(edit, rule => rule.Resources.Contains("rolebindings"));
    }

    [Fact]
    public void Aggregation_PicksUpACustomRoleByLabel()
    {
        var custom = ClusterRole("read-priorityclasses", Read("scheduling.k8s.io", "priorityclasses"));
        custom.Metadata.Labels[DefaultClusterRoles.AggregateToView] = "true";
        var policy = new RbacPolicy([], [.. DefaultClusterRoles.Roles, custom], [], []);

        Assert.Contains(custom.Rules[0], policy.ClusterRoleRules("view")!);
        Assert.Contains(custom.Rules[0], policy.ClusterRoleRules("admin")!);
    }

    [Fact]
    public void Aggregation_CyclesEnd()
    {
        var a = ClusterRole("a", Read("", "pods"));
        a.Metadata.Labels["to-b"] = "true";
        a.AggregationRule = new AggregationRule { ClusterRoleSelectors = { new LabelSelector { MatchLabels = { ["to-a"] = "true" } } } };
        var b = ClusterRole("b");
        b.Metadata.Labels["to-a"] = "true";
        b.AggregationRule = new AggregationRule { ClusterRoleSelectors = { new LabelSelector { MatchLabels = { ["to-b"] = "true" } } } };

        var rules = RbacPolicy.AggregatedRules([a, b]);

        Assert.Equal(2, rules.Count);
    }

    [Theory]
    [InlineData("view", "get", "", "pods", "log", true)]
    [InlineData("view", "get", "", "secrets", "", false)]
    [InlineData("view", "update", "apps", "daemonsets", "", false)]
    [InlineData("view", "list", "apps", "controllerrevisions", "", true)]
    [InlineData("edit", "update", "apps", "daemonsets", "", true)]
    [InlineData("edit", "patch", "", "namespaces", "", false)]
    [InlineData("edit", "update", "", "namespaces", "podsecurity", false)]
    [InlineData("edit", "create", "rbac.authorization.k8s.io", "rolebindings", "", false)]
    [InlineData("admin", "create", "rbac.authorization.k8s.io", "rolebindings", "", true)]
    [InlineData("admin", "patch", "", "nodes", "", false)]
    public void DefaultRoles_BoundInANamespace(string role, string verb, string group, string resource, string subresource, bool allowed)
    {
        var policy = new RbacPolicy([], DefaultClusterRoles.Roles, [Binding("team", "b", "ClusterRole", role, Subject("User", "u"))], []);

        Assert.Equal(allowed, policy.Authorize(new AccessRequest(User("u"), verb, group, resource, subresource, "team", "x")).Allowed);
    }

    [Fact]
    public void EveryAuthenticatedUser_MayReviewItself_AndReadTheVersion()
    {
        var frank = User("frank");

        Assert.True(s_defaults.Authorize(new AccessRequest(frank, "create", "authorization.k8s.io", "selfsubjectaccessreviews")).Allowed);
        Assert.True(s_defaults.Authorize(new AccessRequest(frank, "create", "authentication.k8s.io", "selfsubjectreviews")).Allowed);
        Assert.True(s_defaults.Authorize(new AccessRequest(frank, "get", "", "", Path: "/version")).Allowed);
        Assert.False(s_defaults.Authorize(new AccessRequest(frank, "get", "", "", Path: "/metrics")).Allowed);
        Assert.False(s_defaults.Authorize(new AccessRequest(frank, "list", "", "pods", Namespace: "default")).Allowed);
    }

    [Fact]
    public void RulesFor_ClusterAndNamespaceGrants()
    {
        var policy = new RbacPolicy([], [ClusterRole("r1", Read("", "pods")), ClusterRole("r2", Read("", "secrets"))],
            [Binding("team", "b", "ClusterRole", "r2", Subject("User", "gina"))], [ClusterBinding("c", "r1", Subject("User", "gina"))]);

        Assert.Single(policy.RulesFor(User("gina"), "").Rules);
        Assert.Equal(2, policy.RulesFor(User("gina"), "team").Rules.Count);
        Assert.Equal(Rule(["get", "list", "watch"], [""], ["pods"]), policy.RulesFor(User("gina"), "default").Rules.Single());
    }
}
