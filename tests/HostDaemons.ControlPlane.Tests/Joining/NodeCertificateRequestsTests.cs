using System.Security.Cryptography;
using HostDaemons.ControlPlane.Joining;

namespace HostDaemons.ControlPlane.Tests.Joining;

public sealed class NodeCertificateRequestsTests
{
    [Fact]
    public void PublicKeyOf_EcdsaP256Request_IsItsKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var publicKey = NodeCertificateRequests.PublicKeyOf(TestRequests.Plain(key));

        Assert.Equal(key.ExportSubjectPublicKeyInfo(), publicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void PublicKeyOf_PemEncoded_Accepted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var pem = PemEncoding.WriteString("CERTIFICATE REQUEST", TestRequests.Plain(key));

        var publicKey = NodeCertificateRequests.PublicKeyOf(System.Text.Encoding.ASCII.GetBytes(pem));

        Assert.Equal(key.ExportSubjectPublicKeyInfo(), publicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void PublicKeyOf_Rsa2048_Accepted()
    {
        using var key = RSA.Create(2048);

        Assert.NotNull(NodeCertificateRequests.PublicKeyOf(TestRequests.Greedy(key)));
    }

    [Fact]
    public void PublicKeyOf_Rsa1024_RefusedAsTooWeak()
    {
        using var key = RSA.Create(1024);

        var ex = Assert.Throws<NodeCertificateRequestException>(() => NodeCertificateRequests.PublicKeyOf(TestRequests.Greedy(key)));

        Assert.Contains("RSA key of 1024 bits is too weak", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublicKeyOf_P521_RefusedAsNotAnAcceptedCurve()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP521);

        var ex = Assert.Throws<NodeCertificateRequestException>(() => NodeCertificateRequests.PublicKeyOf(TestRequests.Plain(key)));

        Assert.Contains("use P-256 or P-384", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublicKeyOf_BrokenSignature_Refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var ex = Assert.Throws<NodeCertificateRequestException>(() => NodeCertificateRequests.PublicKeyOf(TestRequests.WithBrokenSignature(TestRequests.Plain(key))));

        Assert.Contains("invalid (bad encoding or signature)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublicKeyOf_Empty_Refused()
    {
        Assert.Throws<NodeCertificateRequestException>(() => NodeCertificateRequests.PublicKeyOf([]));
    }
}
