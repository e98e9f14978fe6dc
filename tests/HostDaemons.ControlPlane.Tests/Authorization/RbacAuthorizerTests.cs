using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.Authorization.RbacTestObjects;

namespace HostDaemons.ControlPlane.Tests.Authorization;

public sealed class RbacAuthorizerTests : IAsyncDisposable
{
    private readonly StoreHarness _store = new();

    [Fact]
    public void SystemMasters_MayDoAnything_WithoutAnyBinding()
    {
        var authorizer = new RbacAuthorizer(_store.Store);

        Assert.True(authorizer.Authorize(new AccessRequest(User("root", "system:masters"), "delete", "", "nodes", Name: "web-01")).Allowed);
        Assert.False(authorizer.Authorize(new AccessRequest(User("bob"), "delete", "", "nodes", Name: "web-01")).Allowed);
    }

    [Fact]
    public async Task Changes_CountFromTheNextCall_AndOtherWritesKeepThePolicy()
    {
        var authorizer = new RbacAuthorizer(_store.Store);
        var request = new AccessRequest(User("alice"), "get", "apps", "daemonsets", Namespace: "default", Name: "x");
        await _store.Store.CreateAsync(ClusterRole("reader", Read("apps", "daemonsets")), StoreHarness.Token);
        Assert.False(authorizer.Authorize(request).Allowed);
        var before = authorizer.Policy();

        await _store.Store.CreateAsync(TestObjects.DaemonSet("x"), StoreHarness.Token);
        Assert.Same(before, authorizer.Policy());

        await _store.Store.CreateAsync(ClusterBinding("b", "reader", Subject("User", "alice")), StoreHarness.Token);
        Assert.True(authorizer.Authorize(request).Allowed);

        await _store.Store.DeleteAsync<ClusterRoleBinding>("", "b", null, StoreHarness.Token);
        Assert.False(authorizer.Authorize(request).Allowed);
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
