using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HostDaemons.ControlPlane.ServiceAccounts;

namespace HostDaemons.ControlPlane.Tests.ServiceAccounts;

public sealed class ServiceAccountTokenTests : IDisposable
{
    private const string Issuer = "https://kubernetes.default.svc.cluster.local";
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceAccountSigningKey _key = ServiceAccountSigningKey.Create();

    [Fact]
    public void A_signed_token_verifies_with_its_claims()
    {
        var claims = Claims(pod: new BoundObject("p", "pod-uid"), node: new BoundObject("n1", "node-uid"));

        var token = ServiceAccountToken.Sign(claims, _key);
        var read = ServiceAccountToken.Verify(token, _key, Issuer, [Issuer], s_now.AddMinutes(5), out var problem);

        Assert.Null(problem);
        Assert.NotNull(read);
        Assert.Equal("system:serviceaccount:ns1:sa1", read.Subject);
        Assert.Equal(new BoundObject("sa1", "sa-uid"), read.ServiceAccount);
        Assert.Equal(new BoundObject("p", "pod-uid"), read.Pod);
        Assert.Equal(new BoundObject("n1", "node-uid"), read.Node);
        Assert.Equal(claims.Expires, read.Expires);
    }

    [Fact]
    public void The_token_has_Kubernetes_header_and_claims()
    {
        var token = ServiceAccountToken.Sign(Claims(pod: new BoundObject("p", "pod-uid")), _key);
        var parts = token.Split('.');

        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;

        Assert.Equal("ES256", (string?)header["alg"]);
        Assert.Equal(_key.KeyId, (string?)header["kid"]);
        Assert.Equal(Issuer, (string?)payload["iss"]);
        Assert.Equal("system:serviceaccount:ns1:sa1", (string?)payload["sub"]);
        Assert.Equal(Issuer, (string?)payload["aud"]![0]);
        Assert.Equal(s_now.ToUnixTimeSeconds(), (long?)payload["iat"]);
        Assert.Equal(s_now.ToUnixTimeSeconds(), (long?)payload["nbf"]);
        Assert.Equal(s_now.AddHours(1).ToUnixTimeSeconds(), (long?)payload["exp"]);
        Assert.Equal("jti-1", (string?)payload["jti"]);
        Assert.Equal("ns1", (string?)payload["kubernetes.io"]!["namespace"]);
        Assert.Equal("sa-uid", (string?)payload["kubernetes.io"]!["serviceaccount"]!["uid"]);
        Assert.Equal("pod-uid", (string?)payload["kubernetes.io"]!["pod"]!["uid"]);
        Assert.Equal(64, Base64Url.DecodeFromChars(parts[2]).Length);
    }

    [Fact]
    public void The_key_id_is_the_base64url_SHA256_of_the_DER_public_key()
    {
        var expected = Convert.ToBase64String(SHA256.HashData(_key.Key.ExportSubjectPublicKeyInfo())).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(expected, _key.KeyId);
        Assert.Equal(43, _key.KeyId.Length);
        var jwk = _key.Jwk();
        Assert.Equal("EC", (string?)jwk["kty"]);
        Assert.Equal("P-256", (string?)jwk["crv"]);
        Assert.Equal(_key.KeyId, (string?)jwk["kid"]);
    }

    [Fact]
    public void Time_is_checked_with_a_minute_of_leeway()
    {
        var token = ServiceAccountToken.Sign(Claims(), _key);
        var expires = s_now.AddHours(1);

        Assert.NotNull(ServiceAccountToken.Verify(token, _key, Issuer, [Issuer], expires.AddSeconds(59), out _));
        Assert.Null(ServiceAccountToken.Verify(token, _key, Issuer, [Issuer], expires.AddSeconds(61), out var expired));
        Assert.Equal("token is expired", expired);
        Assert.NotNull(ServiceAccountToken.Verify(token, _key, Issuer, [Issuer], s_now.AddSeconds(-59), out _));
        Assert.Null(ServiceAccountToken.Verify(token, _key, Issuer, [Issuer], s_now.AddSeconds(-61), out var early));
        Assert.Equal("token is not valid yet", early);
    }

    [Fact]
    public void Another_key_issuer_or_audience_is_refused()
    {
        var token = ServiceAccountToken.Sign(Claims(), _key);
        using var other = ServiceAccountSigningKey.Create();

        Assert.Null(ServiceAccountToken.Verify(token, other, Issuer, [Issuer], s_now, out var keyProblem));
        Assert.Equal("not signed by this cluster's service account key", keyProblem);
        Assert.Null(ServiceAccountToken.Verify(token, _key, "https://elsewhere", ["https://elsewhere"], s_now, out var issuerProblem));
        Assert.Equal("wrong issuer", issuerProblem);
        Assert.Null(ServiceAccountToken.Verify(token, _key, Issuer, ["vault"], s_now, out var audienceProblem));
        Assert.Equal("token audiences do not match the API server's", audienceProblem);
    }

    [Fact]
    public void A_changed_payload_breaks_the_signature()
    {
        var parts = ServiceAccountToken.Sign(Claims(), _key).Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        payload["sub"] = "system:serviceaccount:kube-system:admin";
        var forged = $"{parts[0]}.{Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";

        Assert.Null(ServiceAccountToken.Verify(forged, _key, Issuer, [Issuer], s_now, out var problem));
        Assert.Equal("invalid signature", problem);
        Assert.Null(ServiceAccountToken.Verify("not-a-jwt", _key, Issuer, [Issuer], s_now, out var notJwt));
        Assert.Equal("not a JWT", notJwt);
    }

    [Fact]
    public void The_key_is_created_0600_once_and_kept()
    {
        using var data = new TempDirectory("hd-sakey");

        string keyId;
        using (var first = ServiceAccountSigningKey.Open("", data.Path))
        {
            keyId = first.KeyId;
        }

        var file = Path.Combine(data.Path, "pki", "sa.key");
        Assert.False(HostDaemons.Model.Security.CredentialFiles.IsExposed(file));
        using var second = ServiceAccountSigningKey.Open("", data.Path);
        Assert.Equal(keyId, second.KeyId);
        using var configured = ServiceAccountSigningKey.Open(file, Path.Combine(data.Path, "elsewhere"));
        Assert.Equal(keyId, configured.KeyId);
    }

    [Fact]
    public void A_key_that_is_not_P256_is_refused()
    {
        using var data = new TempDirectory("hd-sakey");
        var file = Path.Combine(data.Path, "rsa.key");
        using var rsa = RSA.Create(2048);
        File.WriteAllText(file, rsa.ExportPkcs8PrivateKeyPem());

        var ex = Assert.Throws<ServiceAccountKeyException>(() => ServiceAccountSigningKey.Open(file, data.Path));
        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _key.Dispose();

    private static ServiceAccountClaims Claims(BoundObject? pod = null, BoundObject? node = null) =>
        new(Issuer, [Issuer], "ns1", new BoundObject("sa1", "sa-uid"), pod, node, s_now, s_now.AddHours(1), "jti-1");
}
