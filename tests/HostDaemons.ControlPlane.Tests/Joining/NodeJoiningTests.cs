using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Joining;
using HostDaemons.ControlPlane.Security;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane.Tests.Joining;

public sealed class NodeJoiningTests : IAsyncDisposable
{
    private static readonly IPAddress s_host = IPAddress.Parse("192.0.2.10");
    private static readonly TimeSpan s_validity = TimeSpan.FromDays(90);

    private readonly TempDirectory _data = new("hd-join");
    private readonly StoreHarness _store = new();
    private readonly ClusterPki _pki;
    private readonly JoinTokens _tokens;
    private readonly NodeIdentities _identities;
    private readonly JoinRateLimiter _limiter;
    private readonly FakeLogger<NodeJoining> _log = new();
    private readonly NodeJoining _joining;

    public NodeJoiningTests()
    {
        const string listen = "https://127.0.0.1:7443";
        _pki = ClusterPki.Open(new ControlPlaneOptions { DataDir = _data.Path, Listen = listen }, ListenEndpoint.Parse(listen), _store.Time, NullLogger<ClusterPki>.Instance);
        _tokens = new JoinTokens(_store.Store, _store.Time);
        _identities = new NodeIdentities(_store.Store, _store.Time);
        _limiter = new JoinRateLimiter(_store.Time);
        _joining = new NodeJoining(_pki, _tokens, _identities, _limiter, new AuditLog(enabled: false, TimeProvider.System), Options.Create(new ControlPlaneOptions { NodeCertificateValidity = s_validity }), _store.Time, _log);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Join_GreedyRequest_GetsOnlyTheNodeCertificateTheCaBuilds()
    {
        var token = await CreateTokenAsync();
        using var key = RSA.Create(2048);

        using var certificate = await _joining.JoinAsync(s_host, token, TestRequests.Greedy(key), "web-01", Token);

        var identity = CertificateIdentities.From(certificate, out _)!;
        Assert.Equal("system:node:web-01", identity.User);
        Assert.Equal([ClusterIdentities.NodesGroup, ClusterIdentities.AuthenticatedGroup], identity.Groups);
        Assert.Empty(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        var usages = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages;
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], usages.Cast<Oid>().Select(o => o.Value));
        Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(_store.Time.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(5), certificate.NotBefore.ToUniversalTime());
        Assert.Equal(_store.Time.GetUtcNow().UtcDateTime + s_validity, certificate.NotAfter.ToUniversalTime());
        Assert.Null(CertificateTrust.Verify(certificate, _pki.Authorities, CertificatePurposes.ClientAuth, _store.Time.GetUtcNow()));
    }

    [Fact]
    public async Task Join_ExpiredToken_Refused()
    {
        var token = await CreateTokenAsync(TimeSpan.FromHours(1));
        _store.Time.Advance(TimeSpan.FromHours(2));

        var ex = await RefusedAsync(token, "web-01", StatusCode.Unauthenticated);

        Assert.Contains("expired", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_DeletedToken_Refused()
    {
        var token = await CreateTokenAsync();
        Assert.True(JoinToken.TryParse(token, out var parsed, out _));
        Assert.True(await _tokens.DeleteAsync(parsed.Id, Token));

        var ex = await RefusedAsync(token, "web-01", StatusCode.Unauthenticated);

        Assert.Contains("does not exist", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_TokenBoundToAnotherName_Refused()
    {
        var token = await CreateTokenAsync(nodeName: "web-01");

        var ex = await RefusedAsync(token, "web-02", StatusCode.PermissionDenied);

        Assert.Contains("joins only node \"web-01\"", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_TokenPinningAnotherCa_Refused()
    {
        var token = await CreateTokenAsync();
        var otherCluster = "HD1-" + new string('0', 64) + token[(4 + 64)..];

        var ex = await RefusedAsync(otherCluster, "web-01", StatusCode.Unauthenticated);

        Assert.Contains("another cluster", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_BadSignatureOrRsa1024_InvalidArgument()
    {
        var token = await CreateTokenAsync();
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var weak = RSA.Create(1024);

        var broken = await Assert.ThrowsAsync<RpcException>(() => _joining.JoinAsync(s_host, token, TestRequests.WithBrokenSignature(TestRequests.Plain(ec)), "web-01", Token));
        var tooWeak = await Assert.ThrowsAsync<RpcException>(() => _joining.JoinAsync(s_host, token, TestRequests.Greedy(weak), "web-01", Token));

        Assert.Equal((StatusCode.InvalidArgument, StatusCode.InvalidArgument), (broken.StatusCode, tooWeak.StatusCode));
        Assert.Contains("1024 bits is too weak", tooWeak.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_NameBoundToAnotherKey_RefusedAsInUse_SameKeyMayJoinAgain()
    {
        var token = await CreateTokenAsync();
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var joined = await _joining.JoinAsync(s_host, token, TestRequests.Plain(first), "web-01", Token);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _joining.JoinAsync(s_host, token, TestRequests.Plain(second), "web-01", Token));
        using var again = await _joining.JoinAsync(s_host, token, TestRequests.Plain(first), "web-01", Token);

        Assert.Equal(StatusCode.AlreadyExists, ex.StatusCode);
        Assert.Contains("node name \"web-01\" already in use", ex.Status.Detail, StringComparison.Ordinal);
        Assert.NotEqual(joined.SerialNumber, again.SerialNumber);
    }

    [Fact]
    public async Task Join_NameBoundToAnotherKey_AllowedWithATokenForThatNameOrAfterReset()
    {
        var anyName = await CreateTokenAsync();
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var third = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var joined = await _joining.JoinAsync(s_host, anyName, TestRequests.Plain(first), "web-01", Token);

        using var byBoundToken = await _joining.JoinAsync(s_host, await CreateTokenAsync(nodeName: "web-01"), TestRequests.Plain(second), "web-01", Token);
        Assert.True(await _identities.ResetAsync("web-01", Token));
        using var afterReset = await _joining.JoinAsync(s_host, anyName, TestRequests.Plain(third), "web-01", Token);

        Assert.Equal(NodeCertificateRequests.KeyHash(afterReset.PublicKey), _identities.Find("web-01")!.KeyHash);
    }

    [Fact]
    public async Task Join_ThousandWrongSecrets_RateLimitedAndAudited_ValidTokenStillJoinsAfterRefill()
    {
        var token = await CreateTokenAsync();
        Assert.True(JoinToken.TryParse(token, out var parsed, out _));
        var wrong = (parsed with { Secret = new string('x', JoinToken.SecretLength) }).ToString();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = TestRequests.Plain(key);
        var codes = new List<StatusCode>();
        for (var i = 0; i < 1000; i++)
        {
            codes.Add((await Assert.ThrowsAsync<RpcException>(() => _joining.JoinAsync(s_host, wrong, request, "web-01", Token))).StatusCode);
        }

        var limitedNow = await Assert.ThrowsAsync<RpcException>(() => _joining.JoinAsync(s_host, token, request, "web-01", Token));
        _store.Time.Advance(JoinRateLimiter.RefillInterval);
        using var joined = await _joining.JoinAsync(s_host, token, request, "web-01", Token);

        Assert.Equal(JoinRateLimiter.Burst, codes.Count(c => c == StatusCode.Unauthenticated));
        Assert.Equal(1000 - JoinRateLimiter.Burst, codes.Count(c => c == StatusCode.ResourceExhausted));
        Assert.Equal(StatusCode.ResourceExhausted, limitedNow.StatusCode);
        var audit = _log.Collector.GetSnapshot();
        Assert.Equal(JoinRateLimiter.Burst, audit.Count(r => r.Id.Id == 741 && r.Message.Contains($"wrong secret for join token {parsed.Id}", StringComparison.Ordinal)));
        Assert.Equal(1000 - JoinRateLimiter.Burst + 1, audit.Count(r => r.Id.Id == 742));
        Assert.DoesNotContain(audit, r => r.Message.Contains(parsed.Secret, StringComparison.Ordinal));
        Assert.Contains(audit, r => r.Id.Id == 740);
    }

    [Fact]
    public async Task Renew_NewKey_RebindsTheNameAndIssuesForIt()
    {
        var token = await CreateTokenAsync();
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var joined = await _joining.JoinAsync(s_host, token, TestRequests.Plain(first), "web-01", Token);

        using var renewed = await _joining.RenewAsync("web-01", TestRequests.Greedy(second), Token);

        Assert.Equal("system:node:web-01", CertificateIdentities.From(renewed, out _)!.User);
        Assert.Equal(NodeCertificateRequests.KeyHash(renewed.PublicKey), _identities.Find("web-01")!.KeyHash);
        Assert.Equal([joined.SerialNumber, renewed.SerialNumber], _identities.Find("web-01")!.Certificates.Select(c => c.Serial));
    }

    [Fact]
    public async Task Revoke_JoinedNode_ItsCertificatesRevokedAndTheNameFreed()
    {
        var token = await CreateTokenAsync();
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var joined = await _joining.JoinAsync(s_host, token, TestRequests.Plain(first), "web-01", Token);
        using var renewed = await _joining.RenewAsync("web-01", TestRequests.Plain(first), Token);
        var revocations = new StoredRevocations(_identities, _store.Time);
        var revocation = new NodeRevocation(_identities, revocations, new NodeCalls(), new AuditLog(enabled: false, TimeProvider.System), NullLogger<NodeRevocation>.Instance);

        await revocation.RevokeAsync("web-01", Token);
        using var rejoined = await _joining.JoinAsync(s_host, token, TestRequests.Plain(second), "web-01", Token);

        Assert.True(revocations.IsRevoked(joined.SerialNumber));
        Assert.True(revocations.IsRevoked(renewed.SerialNumber));
        Assert.False(revocations.IsRevoked(rejoined.SerialNumber));
        Assert.True(new StoredRevocations(_identities, _store.Time).IsRevoked(joined.SerialNumber), "revocations survive a restart");
    }

    [Fact]
    public async Task Tokens_ListAndPurge_NeverKeepTheSecret()
    {
        var token = await CreateTokenAsync(TimeSpan.FromMinutes(30), "web-01", "for web-01");
        var longer = await CreateTokenAsync(TimeSpan.FromHours(2));
        Assert.True(JoinToken.TryParse(token, out var parsed, out _));

        var listed = _tokens.List();
        var secret = _store.Store.Get<Model.V1.Secret>(JoinTokens.Namespace, JoinTokens.NamePrefix + parsed.Id)!;
        _store.Time.Advance(TimeSpan.FromHours(1));
        var purged = await _tokens.PurgeExpiredAsync(Token);

        Assert.Equal(2, listed.Count);
        Assert.Equal(("web-01", "for web-01"), (listed[0].NodeName, listed[0].Description));
        Assert.Equal(JoinTokens.SecretType, secret.Type);
        Assert.DoesNotContain(secret.Data.Values, v => v.ToStringUtf8().Contains(parsed.Secret, StringComparison.Ordinal));
        Assert.Equal([parsed.Id], purged);
        Assert.Single(_tokens.List());
        Assert.NotNull(longer);
    }

    private async Task<string> CreateTokenAsync(TimeSpan? ttl = null, string nodeName = "", string description = "") =>
        (await _tokens.CreateAsync(_pki.Pin, ttl ?? JoinTokens.DefaultTtl, nodeName, description, Token)).Token.ToString();

    private async Task<RpcException> RefusedAsync(string token, string nodeName, StatusCode code)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ex = await Assert.ThrowsAsync<RpcException>(() => _joining.JoinAsync(s_host, token, TestRequests.Plain(key), nodeName, Token));
        Assert.Equal(code, ex.StatusCode);
        return ex;
    }

    public async ValueTask DisposeAsync()
    {
        _pki.Dispose();
        await _store.DisposeAsync();
        _data.Dispose();
    }
}
