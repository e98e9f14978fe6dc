using HostDaemons.ControlPlane.Authorization;
using HostDaemons.Model.Rbac;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.Authorization.RbacTestObjects;
using static HostDaemons.Model.Rbac.PolicyRuleForms;

namespace HostDaemons.ControlPlane.Tests.Authorization;

public sealed class PolicyRulesTests
{
    private static readonly HostDaemons.ControlPlane.Security.CallerIdentity s_alice = User("alice");

    [Theory]
    [InlineData("get", "apps", "daemonsets", "", "x", true)]
    [InlineData("delete", "apps", "daemonsets", "", "x", false)]
    [InlineData("get", "", "daemonsets", "", "x", false)]
    [InlineData("get", "apps", "daemonsets", "status", "x", false)]
    public void Allows_VerbGroupAndResource_AllMustMatch(string verb, string group, string resource, string subresource, string name, bool allowed) =>
        Assert.Equal(allowed, PolicyRules.Allows(Read("apps", "daemonsets"), new AccessRequest(s_alice, verb, group, resource, subresource, "default", name)));

    [Theory]
    [InlineData("pods/log", "pods", "log", true)]
    [InlineData("pods/log", "pods", "", false)]
    [InlineData("pods", "pods", "log", false)]
    [InlineData("*/scale", "daemonsets", "scale", true)]
    [InlineData("*/scale", "daemonsets", "status", false)]
    [InlineData("*/scale", "scale", "", false)]
    [InlineData("*", "daemonsets", "status", true)]
    public void Allows_Subresources_AsKubernetesMatchesThem(string ruleResource, string resource, string subresource, bool allowed) =>
        Assert.Equal(allowed, PolicyRules.Allows(Rule(["get"], ["*"], [ruleResource]), new AccessRequest(s_alice, "get", "apps", resource, subresource, "default", "x")));

    [Fact]
    public void Allows_ResourceNames_OnlyThoseNames_AndNeverAnUnnamedRequest()
    {
        var rule = Rule(["get", "delete"], [""], ["secrets"], ["token"]);

        Assert.True(PolicyRules.Allows(rule, new AccessRequest(s_alice, "get", "", "secrets", Namespace: "default", Name: "token")));
        Assert.False(PolicyRules.Allows(rule, new AccessRequest(s_alice, "get", "", "secrets", Namespace: "default", Name: "other")));
        Assert.False(PolicyRules.Allows(rule, new AccessRequest(s_alice, "list", "", "secrets", Namespace: "default")));
    }

    [Fact]
    public void Allows_WildcardVerbAndGroup()
    {
        var rule = Rule(["*"], ["*"], ["nodes"]);

        Assert.True(PolicyRules.Allows(rule, new AccessRequest(s_alice, "patch", "", "nodes", Name: "web-01")));
        Assert.False(PolicyRules.Allows(rule, new AccessRequest(s_alice, "patch", "", "pods", Name: "web-01")));
    }

    [Theory]
    [InlineData("/healthz", "/healthz", true)]
    [InlineData("/healthz", "/healthz/ping", false)]
    [InlineData("/api/*", "/api/v1", true)]
    [InlineData("/api/*", "/apis", false)]
    [InlineData("*", "/metrics", true)]
    public void Allows_NonResourceUrls_WithTrailingStar(string ruleUrl, string path, bool allowed) =>
        Assert.Equal(allowed, PolicyRules.Allows(Rule(["get"], urls: [ruleUrl]), new AccessRequest(s_alice, "get", "", "", Path: path)));

    [Fact]
    public void Allows_ResourceRule_NeverANonResourceRequest()
    {
        Assert.False(PolicyRules.Allows(Rule(["*"], ["*"], ["*"]), new AccessRequest(s_alice, "get", "", "", Path: "/version")));
        Assert.False(PolicyRules.Allows(Rule(["*"], urls: ["*"]), new AccessRequest(s_alice, "get", "", "pods", Namespace: "default")));
    }

    [Fact]
    public void Covers_HeldRules_GrantNothingMissing()
    {
        PolicyRule[] owner = [Rule(["get", "list"], ["apps"], ["daemonsets", "controllerrevisions"]), Rule(["get"], ["*"], ["*/status"])];

        Assert.True(PolicyRules.Covers(owner, [Rule(["list"], ["apps"], ["daemonsets"]), Rule(["get"], ["apps"], ["daemonsets/status"])], out _));
        Assert.True(PolicyRules.Covers([Rule(["*"], ["*"], ["*"])], [Rule(["delete"], [""], ["secrets"], ["s"])], out _));
        Assert.True(PolicyRules.Covers([Rule(["get"], ["*"], ["secrets"])], [Rule(["get"], [""], ["secrets"], ["s"])], out _));
    }

    [Fact]
    public void Covers_MissingRules_AreTheAtomsNotHeld()
    {
        PolicyRule[] owner = [Rule(["get"], ["apps"], ["daemonsets"]), Rule(["get"], [""], ["secrets"], ["a"])];

        var covered = PolicyRules.Covers(owner, [Rule(["get", "delete"], ["apps"], ["daemonsets"]), Rule(["get"], [""], ["secrets"]), Rule(["get"], urls: ["/metrics"])], out var missing);

        Assert.False(covered);
        Assert.Equal(
            ["{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}", "{APIGroups:[\"apps\"], Resources:[\"daemonsets\"], Verbs:[\"delete\"]}", "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}"],
            PolicyRuleForms.Compact(missing).Select(PolicyRuleForms.CompactString));
    }

    [Fact]
    public void Compact_MergesVerbsOfOneResource_InFirstSeenOrder()
    {
        var atoms = PolicyRuleForms.Breakdown(Rule(["get", "list"], ["apps"], ["daemonsets"])).Concat(PolicyRuleForms.Breakdown(Rule(["watch", "get"], ["apps"], ["daemonsets"])));

        var compact = Assert.Single(PolicyRuleForms.Compact(atoms));

        Assert.Equal("{APIGroups:[\"apps\"], Resources:[\"daemonsets\"], Verbs:[\"get\" \"list\" \"watch\"]}", PolicyRuleForms.CompactString(compact));
    }
}
