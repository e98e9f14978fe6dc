using HostDaemons.ControlPlane.Authorization;
using static HostDaemons.ControlPlane.Tests.Authorization.RbacTestObjects;
using static HostDaemons.Model.Rbac.PolicyRuleForms;

namespace HostDaemons.ControlPlane.Tests.Authorization;

public sealed class ForbiddenMessagesTests
{
    [Fact]
    public void Denied_NamedNamespacedObject() => Assert.Equal(
        "daemonsets.apps \"x\" is forbidden: User \"alice\" cannot delete resource \"daemonsets\" in API group \"apps\" in the namespace \"prod\"",
        ForbiddenMessages.Denied(new AccessRequest(User("alice"), "delete", "apps", "daemonsets", Namespace: "prod", Name: "x"), ""));

    [Fact]
    public void Denied_List_NamesNoObject() => Assert.Equal(
        "daemonsets.apps is forbidden: User \"alice\" cannot list resource \"daemonsets\" in API group \"apps\" in the namespace \"prod\"",
        ForbiddenMessages.Denied(new AccessRequest(User("alice"), "list", "apps", "daemonsets", Namespace: "prod"), ""));

    [Fact]
    public void Denied_CoreGroup_AndSubresource() => Assert.Equal(
        "pods \"p\" is forbidden: User \"viv\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"default\"",
        ForbiddenMessages.Denied(new AccessRequest(User("viv"), "get", "", "pods", "log", "default", "p"), ""));

    [Fact]
    public void Denied_ClusterScope() => Assert.Equal(
        "nodes \"web-01\" is forbidden: User \"viv\" cannot patch resource \"nodes\" in API group \"\" at the cluster scope",
        ForbiddenMessages.Denied(new AccessRequest(User("viv"), "patch", "", "nodes", Name: "web-01"), ""));

    [Fact]
    public void Denied_NonResourcePath_WithReason() => Assert.Equal(
        "forbidden: User \"viv\" cannot get path \"/metrics\": RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found",
        ForbiddenMessages.Denied(new AccessRequest(User("viv"), "get", "", "", Path: "/metrics"), "RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found"));

    [Fact]
    public void Escalation_ListsTheMissingRulesCompacted() => Assert.Equal(
        "clusterrolebindings.rbac.authorization.k8s.io \"x\" is forbidden: user \"bob\" (groups=[\"devs\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
        + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"list\"]}\n{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}",
        ForbiddenMessages.Escalation("clusterrolebindings.rbac.authorization.k8s.io", "x", User("bob", "devs"),
            [Rule(["get"], urls: ["/metrics"]), Rule(["get"], [""], ["secrets"]), Rule(["list"], [""], ["secrets"])], []));
}
