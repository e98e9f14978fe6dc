using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.Authorization.RbacTestObjects;

namespace HostDaemons.ControlPlane.Tests.Authorization;

public sealed class AdminAccessTests : IAsyncDisposable
{
    private static readonly HostDaemons.ControlPlane.Security.CallerIdentity s_alice = User("alice");
    private readonly StoreHarness _store = new();

    [Fact]
    public void EveryAdminMethod_HasAMapping()
    {
        var methods = AdminService.Descriptor.Methods.Select(m => $"/{AdminService.Descriptor.FullName}/{m.Name}")
            .Concat(JoinAdminService.Descriptor.Methods.Select(m => $"/{JoinAdminService.Descriptor.FullName}/{m.Name}"));

        Assert.Empty(methods.Except(AdminAccess.Methods));
        Assert.All(AdminAccess.Methods, m => Assert.True(AdminAccess.Governs(m)));
        Assert.False(AdminAccess.Governs($"/{NodeService.Descriptor.FullName}/Register"));
    }

    [Fact]
    public void UnknownMethod_IsRefused()
    {
        var failure = Assert.Throws<RpcException>(() => Access().For($"/{AdminService.Descriptor.FullName}/Unheard", new GetRequest(), s_alice));

        Assert.Equal(StatusCode.PermissionDenied, failure.StatusCode);
    }

    [Fact]
    public void Apply_Absent_GetThenCreateWithoutName_InTheDefaultedNamespace()
    {
        var access = For("Apply", new ApplyRequest { Object = TestObjects.DaemonSet("x", @namespace: "").Wrap() });

        Assert.Equal([("get", "apps", "daemonsets", "default", "x"), ("create", "apps", "daemonsets", "default", "")], access);
    }

    [Fact]
    public async Task Apply_Present_GetThenPatch()
    {
        await _store.Store.CreateAsync(TestObjects.DaemonSet("x", @namespace: "team"), StoreHarness.Token);

        Assert.Equal([("get", "apps", "daemonsets", "team", "x"), ("patch", "apps", "daemonsets", "team", "x")],
            For("Apply", new ApplyRequest { Object = TestObjects.DaemonSet("x", @namespace: "team").Wrap() }));
        Assert.Equal([("create", "apps", "daemonsets", "team", "")],
            For("Apply", new ApplyRequest { Object = TestObjects.DaemonSet("x", @namespace: "team").Wrap(), Mode = ApplyMode.Create }));
    }

    [Fact]
    public void Apply_ClusterScopedKind_HasNoNamespace_WhateverTheObjectSays()
    {
        var clusterRole = ClusterRole("r");
        clusterRole.Metadata.Namespace = "team";

        Assert.Equal([("get", "rbac.authorization.k8s.io", "clusterroles", "", "r"), ("create", "rbac.authorization.k8s.io", "clusterroles", "", "")],
            For("Apply", new ApplyRequest { Object = clusterRole.Wrap() }));
    }

    [Fact]
    public void ObjectCalls_AuthorizeTheKeyTheStoreUses()
    {
        var inDefault = new ObjectReference { Kind = ResourceKind.DaemonSet, Name = "x" };
        var node = new ObjectReference { Kind = ResourceKind.Node, Namespace = "team", Name = "web-01" };

        Assert.Equal([("get", "apps", "daemonsets", "default", "x")], For("Get", new GetRequest { Ref = inDefault }));
        Assert.Equal([("delete", "apps", "daemonsets", "default", "x")], For("Delete", new DeleteRequest { Ref = inDefault }));
        Assert.Equal([("delete", "", "nodes", "", "web-01")], For("Delete", new DeleteRequest { Ref = node }));
        Assert.Equal([("patch", "", "nodes", "", "web-01")], For("Label", new LabelRequest { Ref = node }));
        Assert.Equal([("delete", "apps", "daemonsets", "team", "default/x")],
            For("Delete", new DeleteRequest { Ref = new ObjectReference { Kind = ResourceKind.DaemonSet, Namespace = "team", Name = "default/x" } }));
    }

    [Fact]
    public void Collections_ANamespace_OrTheClusterScope()
    {
        Assert.Equal([("list", "", "pods", "default", "")], For("List", new ListRequest { Kind = ResourceKind.Pod }));
        Assert.Equal([("list", "", "pods", "", "")], For("List", new ListRequest { Kind = ResourceKind.Pod, Namespace = "team", AllNamespaces = true }));
        Assert.Equal([("list", "", "nodes", "", "")], For("List", new ListRequest { Kind = ResourceKind.Node, Namespace = "team" }));
        Assert.Equal([("watch", "apps", "daemonsets", "team", "x")], For("Watch", new WatchRequest { Kind = ResourceKind.DaemonSet, Namespace = "team", Name = "x" }));
    }

    [Fact]
    public void KubectlVerbs_MapToTheirKubernetesRequests()
    {
        Assert.Equal([("get", "", "pods/log", "default", "p")], For("Logs", new LogsRequest { Pod = "p" }));
        Assert.Equal([("patch", "", "nodes", "", "web-01")], For("Cordon", new CordonRequest { Node = "web-01" }));
        Assert.Equal([("patch", "", "nodes", "", "web-01")], For("Taint", new TaintRequest { Node = "web-01" }));
        Assert.Equal([("update", "apps", "daemonsets", "team", "x"), ("list", "apps", "controllerrevisions", "team", "")],
            For("Rollback", new RollbackRequest { Namespace = "team", Name = "x" }));
        Assert.Equal([("patch", "apps", "daemonsets", "default", "x")], For("RestartRollout", new RestartRolloutRequest { Name = "x" }));
        Assert.Equal([("patch", "apps", "daemonsets", "default", "x")], For("SetImage", new SetImageRequest { Name = "x" }));
        Assert.Equal([("get", "apps", "daemonsets", "default", "x"), ("watch", "apps", "daemonsets", "default", "x")], For("WatchRollout", new WatchRolloutRequest { Name = "x" }));
        Assert.Equal([("get", "apps", "daemonsets", "default", "x"), ("list", "", "nodes", "", "")],
            For("ExplainPlacement", new ExplainPlacementRequest { Ref = new ObjectReference { Kind = ResourceKind.DaemonSet, Name = "x" } }));
        Assert.Equal([("create", "authorization.k8s.io", "selfsubjectaccessreviews", "", "")], For("AccessReview", new AccessReviewRequest()));
        Assert.Equal("/version", Access().For($"/{AdminService.Descriptor.FullName}/Version", new VersionRequest(), s_alice).Single().Path);
    }

    [Fact]
    public void JoinAdministration_IsAboutBootstrapTokenSecretsAndNodes()
    {
        Assert.Equal([("create", "", "secrets", "kube-system", "")], Join("CreateJoinToken", new CreateJoinTokenRequest { NodeName = "web-01" }));
        Assert.Equal([("list", "", "secrets", "kube-system", "")], Join("ListJoinTokens", new ListJoinTokensRequest()));
        Assert.Equal([("delete", "", "secrets", "kube-system", "bootstrap-token-abcdef")], Join("DeleteJoinToken", new DeleteJoinTokenRequest { Id = "abcdef" }));
        Assert.Equal([("delete", "", "nodes", "", "web-01")], Join("ResetNodeIdentity", new ResetNodeIdentityRequest { NodeName = "web-01" }));
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private AdminAccess Access() => new(_store.Store);

    private (string Verb, string Group, string Resource, string Namespace, string Name)[] For(string method, object request) =>
        Shape(Access().For($"/{AdminService.Descriptor.FullName}/{method}", request, s_alice));

    private (string Verb, string Group, string Resource, string Namespace, string Name)[] Join(string method, object request) =>
        Shape(Access().For($"/{JoinAdminService.Descriptor.FullName}/{method}", request, s_alice));

    private static (string, string, string, string, string)[] Shape(IEnumerable<AccessRequest> requests) =>
        [.. requests.Select(r => (r.Verb, r.ApiGroup, r.Subresource.Length == 0 ? r.Resource : $"{r.Resource}/{r.Subresource}", r.Namespace, r.Name))];
}
