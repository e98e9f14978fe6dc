using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.Tests.Security;

public sealed class CertificateAuthorityTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_NewCa_IsAnEcdsaP256CaForLeavesOnlyValidTenYearsBackdated()
    {
        using var ca = CertificateAuthority.Create(s_now, CertificateAuthority.DefaultValidity);
        var certificate = ca.Certificate;

        Assert.Equal("CN=hostdaemons-ca", certificate.Subject);
        Assert.Equal(certificate.Subject, certificate.Issuer);
        using (var key = certificate.GetECDsaPublicKey())
        {
            Assert.Equal(256, key!.KeySize);
        }

        var constraints = Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints is { Critical: true, CertificateAuthority: true, HasPathLengthConstraint: true, PathLengthConstraint: 0 });
        var usage = Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        Assert.Equal(s_now.UtcDateTime - CertificateAuthority.Backdate, certificate.NotBefore.ToUniversalTime());
        Assert.Equal(s_now.UtcDateTime.AddDays(3650), certificate.NotAfter.ToUniversalTime());
        Assert.Equal(CaPin.Compute(certificate), ca.Pin);
    }

    [Fact]
    public void IssueServing_Names_AreServerAuthLeafWithTheSansSignedByTheCa()
    {
        using var ca = CertificateAuthority.Create(s_now, CertificateAuthority.DefaultValidity);

        using var serving = ca.IssueServing(["cp.example", "localhost"], [IPAddress.Loopback, IPAddress.Parse("10.1.2.3")], s_now, TimeSpan.FromDays(365));

        Assert.True(serving.HasPrivateKey);
        var names = Assert.Single(serving.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["cp.example", "localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.Parse("10.1.2.3")], names.EnumerateIPAddresses());
        AssertLeaf(serving, ca, CertificatePurposes.ServerAuthOid);
        Assert.Equal(s_now.UtcDateTime.AddDays(365), serving.NotAfter.ToUniversalTime());
        Assert.Null(CertificateTrust.Verify(serving, [ca.Certificate], CertificatePurposes.ServerAuth, s_now));
        Assert.NotNull(CertificateTrust.Verify(serving, [ca.Certificate], CertificatePurposes.ClientAuth, s_now));
    }

    [Fact]
    public void IssueClientForRequest_CsrAskingForMore_GetsOnlyWhatTheCaBuilds()
    {
        using var ca = CertificateAuthority.Create(s_now, CertificateAuthority.DefaultValidity);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var greedy = new CertificateRequest("CN=system:node:other, O=system:masters", key, HashAlgorithmName.SHA256);
        greedy.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        greedy.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([CertificatePurposes.ServerAuth, CertificatePurposes.ClientAuth], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("controlplane.example");
        greedy.CertificateExtensions.Add(names.Build());

        using var issued = ca.IssueClientForRequest(greedy.CreateSigningRequest(), ClientSubject.Node("edge-01"), s_now, TimeSpan.FromDays(90));

        Assert.Equal("O=system:nodes, CN=system:node:edge-01", ReverseLdap(issued.SubjectName));
        Assert.Empty(issued.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        AssertLeaf(issued, ca, CertificatePurposes.ClientAuthOid);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), issued.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(s_now.UtcDateTime - TimeSpan.FromMinutes(5), issued.NotBefore.ToUniversalTime());
        Assert.Equal(s_now.UtcDateTime.AddDays(90), issued.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void IssueClientForRequest_TamperedSignature_IsRefused()
    {
        using var ca = CertificateAuthority.Create(s_now, CertificateAuthority.DefaultValidity);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        csr[^3] ^= 0x5A;

        var refused = Assert.Throws<PkiException>(() => ca.IssueClientForRequest(csr, ClientSubject.Node("edge-01"), s_now, TimeSpan.FromDays(90)));

        Assert.StartsWith("the certificate signing request is invalid", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IssueClientForRequest_Rsa1024_IsRefusedAsTooWeak()
    {
        using var ca = CertificateAuthority.Create(s_now, CertificateAuthority.DefaultValidity);
        using var key = RSA.Create(1024);
        var csr = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();

        var refused = Assert.Throws<PkiException>(() => ca.IssueClientForRequest(csr, ClientSubject.Node("edge-01"), s_now, TimeSpan.FromDays(90)));

        Assert.Equal("an RSA key of 1024 bits is too weak: use 2048 bits or more, or ECDSA P-256", refused.Message);
    }

    [Fact]
    public void IssueClientForRequest_Rsa2048_GetsKeyEnciphermentToo()
    {
        using var ca = CertificateAuthority.Create(s_now, CertificateAuthority.DefaultValidity);
        using var key = RSA.Create(2048);
        var csr = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();

        using var issued = ca.IssueClientForRequest(csr, ClientSubject.Node("edge-01"), s_now, TimeSpan.FromDays(90));

        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, issued.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
    }

    [Fact]
    public void IssueClient_LongerThanTheCa_EndsWithTheCa()
    {
        using var ca = CertificateAuthority.Create(s_now, TimeSpan.FromDays(30));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var issued = ca.IssueClient(ClientSubject.Administrator, new PublicKey(key), s_now, TimeSpan.FromDays(365));

        Assert.Equal(ca.Certificate.NotAfter, issued.NotAfter);
        Assert.Equal("O=system:masters, CN=admin", ReverseLdap(issued.SubjectName));
    }

    [Fact]
    public void Issue_TwoCertificates_HaveDistinctPositiveSerials()
    {
        using var ca = CertificateAuthority.Create(s_now, CertificateAuthority.DefaultValidity);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var a = ca.IssueClient(ClientSubject.Administrator, new PublicKey(key), s_now, TimeSpan.FromDays(1));
        using var b = ca.IssueClient(ClientSubject.Administrator, new PublicKey(key), s_now, TimeSpan.FromDays(1));

        Assert.NotEqual(a.SerialNumber, b.SerialNumber);
        Assert.All(new[] { a, b }, c => Assert.True(c.SerialNumberBytes.Length == 16 && c.SerialNumberBytes.Span[0] is > 0 and < 0x80, c.SerialNumber));
    }

    [Fact]
    public void FromPem_ExportedCa_SignsLikeTheOriginal()
    {
        using var original = CertificateAuthority.Create(s_now, CertificateAuthority.DefaultValidity);

        using var loaded = CertificateAuthority.FromPem(original.CertificatePem, original.KeyPem);
        using var serving = loaded.IssueServing(["localhost"], [], s_now, TimeSpan.FromDays(1));

        Assert.Equal(original.Pin, loaded.Pin);
        Assert.Null(CertificateTrust.Verify(serving, [original.Certificate], CertificatePurposes.ServerAuth, s_now));
    }

    [Fact]
    public void FromPem_RsaCaAsKubeadmMakesThem_IsUsable()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        using var self = request.CreateSelfSigned(s_now.AddDays(-1), s_now.AddYears(10));

        using var ca = CertificateAuthority.FromPem(self.ExportCertificatePem(), key.ExportRSAPrivateKeyPem());
        using var serving = ca.IssueServing(["localhost"], [], s_now, TimeSpan.FromDays(1));

        Assert.Null(CertificateTrust.Verify(serving, [ca.Certificate], CertificatePurposes.ServerAuth, s_now));
    }

    [Fact]
    public void FromPem_LeafCertificate_IsNotACa()
    {
        using var ca = CertificateAuthority.Create(s_now, CertificateAuthority.DefaultValidity);
        using var serving = ca.IssueServing(["localhost"], [], s_now, TimeSpan.FromDays(1));
        using var key = serving.GetECDsaPrivateKey()!;

        var refused = Assert.Throws<PkiException>(() => CertificateAuthority.FromPem(serving.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("is not a CA certificate", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_KeyOfAnotherCa_IsRefused()
    {
        using var a = CertificateAuthority.Create(s_now, CertificateAuthority.DefaultValidity);
        using var b = CertificateAuthority.Create(s_now, CertificateAuthority.DefaultValidity);

        var refused = Assert.Throws<PkiException>(() => CertificateAuthority.FromPem(a.CertificatePem, b.KeyPem));

        Assert.StartsWith("the CA certificate and key cannot be read together", refused.Message, StringComparison.Ordinal);
    }

    private static void AssertLeaf(X509Certificate2 leaf, CertificateAuthority ca, string purpose)
    {
        Assert.Equal("CN=hostdaemons-ca", leaf.Issuer);
        var constraints = Assert.Single(leaf.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints is { Critical: true, CertificateAuthority: false });
        var usage = Assert.Single(leaf.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        var purposes = Assert.Single(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages;
        Assert.Equal([purpose], purposes.Cast<Oid>().Select(o => o.Value));
        var authorityKey = Assert.Single(leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        var caKey = Assert.Single(ca.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.Equal(Convert.FromHexString(caKey.SubjectKeyIdentifier!), authorityKey.KeyIdentifier!.Value.ToArray());
        Assert.Single(leaf.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
    }

    /// <summary>The subject in ASN.1 order, as openssl prints it.</summary>
    private static string ReverseLdap(X500DistinguishedName name) =>
        string.Join(", ", name.EnumerateRelativeDistinguishedNames(reversed: false).Select(r => $"{(r.GetSingleElementType().Value == "2.5.4.3" ? "CN" : "O")}={r.GetSingleElementValue()}"));
}
