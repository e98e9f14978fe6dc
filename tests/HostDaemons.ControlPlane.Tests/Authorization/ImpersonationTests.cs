using Grpc.Core;
using HostDaemons.ControlPlane.Authorization;
using static HostDaemons.ControlPlane.Tests.Authorization.RbacTestObjects;
using static HostDaemons.Model.Rbac.PolicyRuleForms;

namespace HostDaemons.ControlPlane.Tests.Authorization;

public sealed class ImpersonationTests
{
    private static readonly RbacPolicy s_policy = new([],
        [ClusterRole("impersonator", Rule(["impersonate"], [""], ["users", "groups"])), ClusterRole("sa-impersonator", Rule(["impersonate"], [""], ["serviceaccounts"]))],
        [Binding("kube-system", "b", "ClusterRole", "sa-impersonator", Subject("User", "ivan"))],
        [ClusterBinding("b", "impersonator", Subject("User", "irene"))]);

    private readonly Impersonation _impersonation = new(new PolicyAuthorizer(s_policy));

    [Fact]
    public void NoHeaders_TheCallerItself()
    {
        var caller = User("bob");

        Assert.Same(caller, _impersonation.Apply(caller, []));
    }

    [Fact]
    public void AllowedUser_BecomesTheImpersonated_InSystemAuthenticated()
    {
        var acting = _impersonation.Apply(User("irene"), [new("impersonate-user", "alice"), new("impersonate-group", "devs")]);

        Assert.Equal("alice", acting.User);
        Assert.Equal(["devs", "system:authenticated"], acting.Groups);
    }

    [Fact]
    public void ServiceAccount_GetsItsGroups_AndNeedsImpersonateOnServiceAccounts()
    {
        const string Account = "system:serviceaccount:kube-system:fluentd-account";

        var acting = _impersonation.Apply(User("ivan"), [new("impersonate-user", Account)]);
        var refused = Assert.Throws<RpcException>(() => _impersonation.Apply(User("ivan"), [new("impersonate-user", "alice")]));

        Assert.Equal([ "system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated" ], acting.Groups);
        Assert.Equal((StatusCode.PermissionDenied, "users \"alice\" is forbidden: User \"ivan\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope"),
            (refused.StatusCode, refused.Status.Detail));
    }

    [Fact]
    public void EachGroup_NeedsImpersonate()
    {
        var refused = Assert.Throws<RpcException>(() => _impersonation.Apply(User("ivan"), [new("impersonate-user", "system:serviceaccount:kube-system:x"), new("impersonate-group", "system:masters")]));

        Assert.Equal("groups \"system:masters\" is forbidden: User \"ivan\" cannot impersonate resource \"groups\" in API group \"\" at the cluster scope", refused.Status.Detail);
    }

    [Fact]
    public void GroupWithoutUser_IsABadRequest()
    {
        var refused = Assert.Throws<RpcException>(() => _impersonation.Apply(User("irene"), [new("impersonate-group", "devs")]));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
    }

    private sealed class PolicyAuthorizer(RbacPolicy policy) : IAccessAuthorizer
    {
        public AccessDecision Authorize(in AccessRequest request) => policy.Authorize(request);
    }
}
