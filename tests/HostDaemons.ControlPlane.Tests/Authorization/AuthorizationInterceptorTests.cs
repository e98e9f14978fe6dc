using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Security;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using static HostDaemons.ControlPlane.Tests.Authorization.RbacTestObjects;
using static HostDaemons.Model.Rbac.PolicyRuleForms;

namespace HostDaemons.ControlPlane.Tests.Authorization;

public sealed class AuthorizationInterceptorTests : IAsyncDisposable
{
    private static readonly string s_get = $"/{AdminService.Descriptor.FullName}/Get";
    private readonly StoreHarness _store = new();

    [Fact]
    public async Task Denied_PermissionDenied_WithTheMessage_AndTheAuditRecordsIt()
    {
        var (context, audit) = Call(s_get, User("viv"));
        var reached = false;

        var failure = await Assert.ThrowsAsync<RpcException>(() => Interceptor().UnaryServerHandler(Get("s"), context, (_, _) =>
        {
            reached = true;
            return Task.FromResult(new ApiObject());
        }));

        Assert.False(reached);
        Assert.Equal((StatusCode.PermissionDenied, "secrets \"s\" is forbidden: User \"viv\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\""),
            (failure.StatusCode, failure.Status.Detail));
        Assert.Equal(("get", "secrets", "default", "s"), (audit.Access!.Value.Verb, audit.Access.Value.Resource, audit.Access.Value.Namespace, audit.Access.Value.Name));
        Assert.False(audit.Decision!.Value.Allowed);
    }

    [Fact]
    public async Task Impersonated_TheCallSeesTheImpersonatedIdentity()
    {
        await _store.Store.CreateAsync(ClusterRole("everything", Rule(["*"], ["*"], ["*"])), StoreHarness.Token);
        await _store.Store.CreateAsync(ClusterBinding("b", "everything", Subject("User", "alice")), StoreHarness.Token);
        var (context, audit) = Call(s_get, User("root", "system:masters"), ("impersonate-user", "alice"));
        CallerIdentity? seen = null;

        await Interceptor().UnaryServerHandler(Get("s"), context, (_, c) =>
        {
            seen = CallerIdentity.From(c);
            return Task.FromResult(new ApiObject());
        });

        Assert.Equal("alice", seen!.User);
        Assert.StartsWith("RBAC: allowed by ClusterRoleBinding \"b\"", audit.Decision!.Value.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherApis_PassThrough()
    {
        var (context, audit) = Call($"/{NodeService.Descriptor.FullName}/Register", User("system:node:web-01", "system:nodes"));

        await Interceptor().UnaryServerHandler(new RegisterRequest(), context, (_, _) => Task.FromResult(new RegisterResponse()));

        Assert.Null(audit.Decision);
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private static GetRequest Get(string name) => new() { Ref = new ObjectReference { Kind = ResourceKind.Secret, Name = name } };

    private static (ServerCallContext Context, CallAudit Audit) Call(string method, CallerIdentity caller, params (string Key, string Value)[] headers)
    {
        var metadata = new Metadata();
        foreach (var (key, value) in headers)
        {
            metadata.Add(key, value);
        }

        var context = new TestServerCallContext(metadata, TestContext.Current.CancellationToken) { FullMethod = method };
        caller.AttachTo(context);
        var audit = new CallAudit();
        audit.AttachTo(context);
        return (context, audit);
    }

    private AuthorizationInterceptor Interceptor()
    {
        var rbac = new RbacAuthorizer(_store.Store);
        return new AuthorizationInterceptor(new AdminAccess(_store.Store), rbac, new Impersonation(rbac), new RbacEscalation(rbac, rbac), NullLogger<AuthorizationInterceptor>.Instance);
    }
}
