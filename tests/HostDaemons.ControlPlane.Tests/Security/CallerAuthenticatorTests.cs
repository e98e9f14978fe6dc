using System.Net;
using Grpc.Core;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Security;
using HostDaemons.ControlPlane.Tests.TestServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.ControlPlane.Tests.Security;

public sealed class CallerAuthenticatorTests : IDisposable
{
    private readonly TempDirectory _data = new("hd-auth");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RevokedSet _revoked = new();
    private readonly ClusterPki _pki;
    private readonly ServiceProvider _services;

    public CallerAuthenticatorTests()
    {
        var listen = ListenEndpoint.Parse("https://127.0.0.1:7443");
        _pki = ClusterPki.Open(new ControlPlaneOptions { DataDir = _data.Path, Listen = listen.Url.ToString() }, listen, _time, NullLogger<ClusterPki>.Instance);
        _services = new ServiceCollection()
            .AddSingleton(_pki)
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton<IRevokedCertificates>(_revoked)
            .AddSingleton<ClientCertificateValidator>()
            .BuildServiceProvider();
    }

    [Fact]
    public async Task Authenticate_NodeCertificateOverTls_IsTheNode()
    {
        using var certificate = TestIdentities.Client(_pki.Authority, "system:node:edge-01", "system:nodes");

        var caller = await Tls().AuthenticateAsync(new CallConnection(true, certificate, IPAddress.Loopback), [], TestContext.Current.CancellationToken);

        Assert.Equal("edge-01", caller!.NodeName);
    }

    [Fact]
    public async Task Authenticate_ExpiredSinceTheHandshake_IsUnauthenticated()
    {
        using var certificate = TestIdentities.Client(_pki.Authority, new ClientSubject("admin", ["system:masters"]), _time.GetUtcNow(), TimeSpan.FromHours(1));
        _time.Advance(TimeSpan.FromHours(2));

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await Tls().AuthenticateAsync(new CallConnection(true, certificate, IPAddress.Loopback), [], TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.StartsWith("x509: certificate has expired or is not yet valid: current time", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_RevokedSinceTheHandshake_IsUnauthenticated()
    {
        using var certificate = TestIdentities.Client(_pki.Authority, "system:node:edge-01", "system:nodes");
        _revoked.Serials.Add(certificate.SerialNumber);

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await Tls().AuthenticateAsync(new CallConnection(true, certificate, IPAddress.Loopback), [], TestContext.Current.CancellationToken));

        Assert.Equal((StatusCode.Unauthenticated, "x509: certificate has been revoked"), (refused.StatusCode, refused.Status.Detail));
    }

    [Fact]
    public async Task Authenticate_NoCertificateNoToken_IsAnonymous()
    {
        Assert.Null(await Tls().AuthenticateAsync(new CallConnection(true, null, IPAddress.Loopback), [], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Authenticate_BearerTokenWithoutATokenSource_IsUnauthenticated()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await Tls().AuthenticateAsync(new CallConnection(true, null, IPAddress.Loopback), [new("authorization", "Bearer abc")], TestContext.Current.CancellationToken));

        Assert.Equal((StatusCode.Unauthenticated, "invalid bearer token"), (refused.StatusCode, refused.Status.Detail));
    }

    [Fact]
    public async Task Authenticate_BearerTokenKnownToTheSeam_IsItsUser()
    {
        var authenticator = new CallerAuthenticator(ListenEndpoint.Parse("https://127.0.0.1:7443"), _services, new OneToken("s3cret", "ops"));

        var caller = await authenticator.AuthenticateAsync(new CallConnection(true, null, IPAddress.Loopback), [new("authorization", "Bearer s3cret")], TestContext.Current.CancellationToken);

        Assert.Equal(("ops", AuthenticationMethod.BearerToken), (caller!.User, caller.Method));
    }

    [Fact]
    public async Task Authenticate_BasicAuthorization_IsUnauthenticated()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await Tls().AuthenticateAsync(new CallConnection(true, null, IPAddress.Loopback), [new("authorization", "Basic YTpi")], TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task Authenticate_PlaintextOnADevelopmentLoopbackListener_IsTheDevelopmentAdministrator()
    {
        var development = new CallerAuthenticator(ListenEndpoint.Parse("http://127.0.0.1:7070"), _services, new NoTokenAuthenticator());

        Assert.Same(CallerIdentity.DevelopmentAdministrator, await development.AuthenticateAsync(new CallConnection(false, null, IPAddress.Loopback), [], TestContext.Current.CancellationToken));
        Assert.Same(CallerIdentity.DevelopmentAdministrator, await development.AuthenticateAsync(new CallConnection(false, null, IPAddress.Parse("::ffff:127.0.0.1")), [], TestContext.Current.CancellationToken));
        Assert.Same(CallerIdentity.DevelopmentAdministrator, await development.AuthenticateAsync(new CallConnection(false, null, null, ViaLocalSocket: true), [], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Authenticate_PlaintextToATlsListenerOrOffLoopback_IsUnauthenticated()
    {
        var development = new CallerAuthenticator(ListenEndpoint.Parse("http://127.0.0.1:7070"), _services, new NoTokenAuthenticator());

        await Assert.ThrowsAsync<RpcException>(async () => await Tls().AuthenticateAsync(new CallConnection(false, null, IPAddress.Loopback), [], TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<RpcException>(async () => await development.AuthenticateAsync(new CallConnection(false, null, IPAddress.Parse("10.0.0.1")), [], TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<RpcException>(async () => await development.AuthenticateAsync(new CallConnection(false, null, null), [], TestContext.Current.CancellationToken));
    }

    [Fact]
    public void NodeIdentity_CertificateOfAWithHeaderB_IsA()
    {
        var context = TestServerCallContext.Create((HeaderNodeIdentity.HeaderName, "b"));
        TestIdentities.Node("a").AttachTo(context);

        Assert.Equal("a", new CallerNodeIdentity(new HeaderNodeIdentity()).Resolve(context));
    }

    [Fact]
    public void NodeIdentity_DevelopmentMode_IsTheHeader()
    {
        var context = TestServerCallContext.Create((HeaderNodeIdentity.HeaderName, "b"));
        CallerIdentity.DevelopmentAdministrator.AttachTo(context);

        Assert.Equal("b", new CallerNodeIdentity(new HeaderNodeIdentity()).Resolve(context));
    }

    [Fact]
    public void NodeIdentity_AdminOrNobody_IsNoNode()
    {
        var admin = TestServerCallContext.Create((HeaderNodeIdentity.HeaderName, "b"));
        TestIdentities.Admin.AttachTo(admin);
        var nobody = TestServerCallContext.Create((HeaderNodeIdentity.HeaderName, "b"));

        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => new CallerNodeIdentity(new HeaderNodeIdentity()).Resolve(admin)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => new CallerNodeIdentity(new HeaderNodeIdentity()).Resolve(nobody)).StatusCode);
    }

    [Fact]
    public void Validator_CertificateOfAnotherCa_FailsTheHandshakeCheck()
    {
        using var stranger = CertificateAuthority.Create(_time.GetUtcNow(), TimeSpan.FromDays(10));
        using var certificate = TestIdentities.Client(stranger, "admin", "system:masters");
        var validator = _services.GetRequiredService<ClientCertificateValidator>();

        Assert.Equal("x509: certificate signed by unknown authority", validator.CheckIssuer(certificate));
        Assert.Equal("x509: certificate signed by unknown authority", validator.Validate(certificate));
    }

    [Fact]
    public void Validator_ExpiredCertificateOfTheCa_PassesTheHandshakeButNotTheFullCheck()
    {
        using var certificate = TestIdentities.Client(_pki.Authority, new ClientSubject("admin", ["system:masters"]), _time.GetUtcNow(), TimeSpan.FromHours(1));
        _time.Advance(TimeSpan.FromHours(2));
        var validator = _services.GetRequiredService<ClientCertificateValidator>();

        Assert.Null(validator.CheckIssuer(certificate));
        Assert.StartsWith("x509: certificate has expired", validator.Validate(certificate), StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_ServingCertificateAsAClient_FailsTheHandshakeCheck()
    {
        var validator = _services.GetRequiredService<ClientCertificateValidator>();

        Assert.Equal("x509: certificate specifies an incompatible key usage", validator.CheckIssuer(_pki.Serving.Certificate));
    }

    private CallerAuthenticator Tls() => new(ListenEndpoint.Parse("https://127.0.0.1:7443"), _services, new NoTokenAuthenticator());

    public void Dispose()
    {
        _services.Dispose();
        _pki.Dispose();
        _data.Dispose();
    }

    private sealed class RevokedSet : IRevokedCertificates
    {
        public HashSet<string> Serials { get; } = [];

        public bool IsRevoked(string serialNumber) => Serials.Contains(serialNumber);
    }

    private sealed class OneToken(string token, string user) : ITokenAuthenticator
    {
        public ValueTask<CallerIdentity?> AuthenticateAsync(string presented, CancellationToken cancellationToken) =>
            ValueTask.FromResult(presented == token ? new CallerIdentity(user, ["system:authenticated"], AuthenticationMethod.BearerToken) : null);
    }
}
