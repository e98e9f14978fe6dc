using Grpc.Core;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.Authorization.RbacTestObjects;
using static HostDaemons.Model.Rbac.PolicyRuleForms;

namespace HostDaemons.ControlPlane.Tests.Authorization;

public sealed class RbacEscalationTests : IAsyncDisposable
{
    private readonly StoreHarness _store = new();

    [Fact]
    public async Task Role_WithRulesTheWriterHolds_IsAllowed()
    {
        await SeedAsync(ClusterRole("team-admin", Rule(["*"], ["", "apps"], ["*"])), Binding("team", "b", "ClusterRole", "team-admin", Subject("User", "ada")));

        Escalation().Check(Role("team", "readers", Read("apps", "daemonsets"), Read("", "pods")), User("ada"));
    }

    [Fact]
    public async Task Role_GrantingMore_IsRefused_WithTheMissingRules()
    {
        await SeedAsync(ClusterRole("reader", Read("apps", "daemonsets"), Rule(["create"], ["rbac.authorization.k8s.io"], ["roles"])),
            Binding("team", "b", "ClusterRole", "reader", Subject("User", "ada")));

        var failure = Assert.Throws<RpcException>(() => Escalation().Check(Role("team", "writers", Rule(["get", "delete"], ["apps"], ["daemonsets"])), User("ada")));

        Assert.Equal(StatusCode.PermissionDenied, failure.StatusCode);
        Assert.Equal("roles.rbac.authorization.k8s.io \"writers\" is forbidden: user \"ada\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"apps\"], Resources:[\"daemonsets\"], Verbs:[\"delete\"]}", failure.Status.Detail);
    }

    [Fact]
    public async Task Role_HeldOnlyInAnotherNamespace_IsRefused()
    {
        await SeedAsync(ClusterRole("reader", Read("apps", "daemonsets")), Binding("team", "b", "ClusterRole", "reader", Subject("User", "ada")));

        Assert.Throws<RpcException>(() => Escalation().Check(Role("default", "readers", Read("apps", "daemonsets")), User("ada")));
    }

    [Fact]
    public async Task Binding_ToARoleWithMore_IsRefused_UnlessTheWriterMayBindIt()
    {
        await SeedAsync(ClusterRole("reader", Read("apps", "daemonsets")), ClusterRole("binder", Rule(["bind"], ["rbac.authorization.k8s.io"], ["clusterroles"], ["cluster-admin"])),
            ClusterRole("cluster-admin", Rule(["*"], ["*"], ["*"])), Binding("team", "b", "ClusterRole", "reader", Subject("User", "ada")));
        var root = ClusterBinding("root", "cluster-admin", Subject("User", "ada"));

        var failure = Assert.Throws<RpcException>(() => Escalation().Check(root, User("ada")));
        Assert.StartsWith("clusterrolebindings.rbac.authorization.k8s.io \"root\" is forbidden: user \"ada\"", failure.Status.Detail, StringComparison.Ordinal);

        Escalation().Check(Binding("team", "readers", "ClusterRole", "reader", Subject("Group", "g")), User("ada"));
        await SeedAsync(ClusterBinding("ada-binds", "binder", Subject("User", "ada")));
        Escalation().Check(root, User("ada"));
    }

    [Fact]
    public async Task EscalateVerb_AndSystemMasters_Bypass()
    {
        await SeedAsync(ClusterRole("escalator", Rule(["escalate"], ["rbac.authorization.k8s.io"], ["clusterroles"])), ClusterBinding("b", "escalator", Subject("User", "ed")));
        var everything = ClusterRole("everything", Rule(["*"], ["*"], ["*"]));

        Escalation().Check(everything, User("ed"));
        Escalation().Check(everything, User("root", "system:masters"));
        Assert.Throws<RpcException>(() => Escalation().Check(everything, User("bob")));
    }

    [Fact]
    public void AggregationRule_NeedsEscalatePower()
    {
        var aggregating = ClusterRole("sneaky");
        aggregating.AggregationRule = new AggregationRule { ClusterRoleSelectors = { new LabelSelector() } };

        var failure = Assert.Throws<RpcException>(() => Escalation().Check(aggregating, User("bob")));

        Assert.Equal("clusterroles.rbac.authorization.k8s.io \"sneaky\" is forbidden: must have cluster-admin privileges to use the aggregationRule", failure.Status.Detail);
    }

    [Fact]
    public void OtherKinds_AreNotChecked() => Escalation().Check(TestObjects.DaemonSet(), User("bob"));

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private RbacEscalation Escalation()
    {
        var rbac = new RbacAuthorizer(_store.Store);
        return new RbacEscalation(rbac, rbac);
    }

    private async Task SeedAsync(params IKubeObject[] values)
    {
        foreach (var value in values)
        {
            switch (value)
            {
                case ClusterRole r: await _store.Store.CreateAsync(r, StoreHarness.Token); break;
                case Role r: await _store.Store.CreateAsync(r, StoreHarness.Token); break;
                case RoleBinding b: await _store.Store.CreateAsync(b, StoreHarness.Token); break;
                case ClusterRoleBinding b: await _store.Store.CreateAsync(b, StoreHarness.Token); break;
            }
        }
    }
}
