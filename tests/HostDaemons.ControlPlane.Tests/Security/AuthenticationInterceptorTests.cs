using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Tests.Security;

public sealed class AuthenticationInterceptorTests
{
    private const string Apply = "/hostdaemons.v1.AdminService/Apply";
    private const string Register = "/hostdaemons.v1.NodeService/Register";
    private const string Health = "/grpc.health.v1.Health/Check";

    [Fact]
    public void Authorize_NodeOnTheNodeApi_IsAllowed() => AuthenticationInterceptor.Authorize(TestIdentities.Node("edge-01"), Register);

    [Fact]
    public void Authorize_AdminOnTheAdminApi_IsAllowed() => AuthenticationInterceptor.Authorize(TestIdentities.Admin, Apply);

    [Fact]
    public void Authorize_NodeOnTheAdminApi_IsPermissionDeniedNamingTheIdentityAndApi()
    {
        var denied = Assert.Throws<RpcException>(() => AuthenticationInterceptor.Authorize(TestIdentities.Node("edge-01"), Apply));

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal("User \"system:node:edge-01\" (groups [\"system:nodes\" \"system:authenticated\"]) cannot use the admin API "
            + "(hostdaemons.v1.AdminService/Apply): node credentials are for the node API only", denied.Status.Detail);
    }

    [Fact]
    public void Authorize_AdminOnTheNodeApi_IsPermissionDeniedNamingTheIdentityAndApi()
    {
        var denied = Assert.Throws<RpcException>(() => AuthenticationInterceptor.Authorize(TestIdentities.Admin, Register));

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal("User \"admin\" (groups [\"system:masters\" \"system:authenticated\"]) cannot use the node API "
            + "(hostdaemons.v1.NodeService/Register): only nodes (system:node:NAME in group system:nodes) may", denied.Status.Detail);
    }

    [Fact]
    public void Authorize_NodeNameWithoutTheNodesGroup_GetsNeitherApi()
    {
        var halfNode = new CallerIdentity("system:node:edge-01", ["system:masters", "system:authenticated"], AuthenticationMethod.ClientCertificate);

        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => AuthenticationInterceptor.Authorize(halfNode, Register)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => AuthenticationInterceptor.Authorize(halfNode, Apply)).StatusCode);
    }

    [Fact]
    public void Authorize_BearerTokenUser_GetsTheAdminApi() =>
        AuthenticationInterceptor.Authorize(new CallerIdentity("ops", ["system:authenticated"], AuthenticationMethod.BearerToken), Apply);

    [Theory]
    [InlineData(Apply)]
    [InlineData(Register)]
    public void Authorize_NoCredentials_IsUnauthenticated(string method)
    {
        var refused = Assert.Throws<RpcException>(() => AuthenticationInterceptor.Authorize(null, method));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.EndsWith("needs a client certificate issued by the cluster CA (or a bearer token), and the connection presented none", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Authorize_HealthCheck_NeedsNoCredentials() => AuthenticationInterceptor.Authorize(null, Health);

    [Theory]
    [InlineData(Apply)]
    [InlineData(Register)]
    public void Authorize_DevelopmentMode_MayCallEitherApi(string method) => AuthenticationInterceptor.Authorize(CallerIdentity.DevelopmentAdministrator, method);

    [Fact]
    public void Authorize_ServiceWithoutPolicy_IsRefusedToEveryone()
    {
        Assert.Null(ApiAccessPolicy.For("/hostdaemons.v1.NewService/Do"));
        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => AuthenticationInterceptor.Authorize(TestIdentities.Admin, "/hostdaemons.v1.NewService/Do")).StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, Assert.Throws<RpcException>(() => AuthenticationInterceptor.Authorize(null, "/hostdaemons.v1.NewService/Do")).StatusCode);
    }

    [Fact]
    public void ApiAccessPolicy_EveryMethodOfBothServices_HasItsServicesAudience()
    {
        foreach (var method in AdminService.Descriptor.Methods)
        {
            Assert.Equal(ApiAudience.Users, ApiAccessPolicy.For($"/{AdminService.Descriptor.FullName}/{method.Name}"));
        }

        foreach (var method in NodeService.Descriptor.Methods)
        {
            Assert.Equal(ApiAudience.Nodes, ApiAccessPolicy.For($"/{NodeService.Descriptor.FullName}/{method.Name}"));
        }
    }
}
