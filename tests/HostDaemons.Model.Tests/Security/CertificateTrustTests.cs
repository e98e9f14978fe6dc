using System.Net;
using System.Net.Security;
using HostDaemons.Model.Security;

namespace HostDaemons.Model.Tests.Security;

public sealed class CertificateTrustTests
{
    private static readonly DateTimeOffset s_now = DateTimeOffset.UtcNow;

    [Fact]
    public void Verify_LeafOfTheCa_IsTrusted()
    {
        using var ca = new TestCertificates();
        using var leaf = ca.Client();

        Assert.Null(CertificateTrust.Verify(leaf, ca.Bundle, CertificatePurposes.ClientAuth, s_now));
    }

    [Fact]
    public void Verify_LeafOfAnotherCa_IsSignedByUnknownAuthority()
    {
        using var ca = new TestCertificates();
        using var stranger = new TestCertificates("stranger");
        using var leaf = stranger.Client();

        Assert.Equal("x509: certificate signed by unknown authority", CertificateTrust.Verify(leaf, ca.Bundle, CertificatePurposes.ClientAuth, s_now));
    }

    [Fact]
    public void Verify_NoAuthorities_TrustsNothing()
    {
        using var ca = new TestCertificates();
        using var leaf = ca.Client();

        Assert.Equal(CertificateTrust.UnknownAuthority, CertificateTrust.Verify(leaf, [], CertificatePurposes.ClientAuth, s_now));
    }

    [Fact]
    public void Verify_TheCaItselfAsALeafOfAnotherBundle_IsUnknown()
    {
        using var ca = new TestCertificates();
        using var stranger = new TestCertificates("stranger");

        Assert.Equal(CertificateTrust.UnknownAuthority, CertificateTrust.Verify(stranger.Authority, ca.Bundle, CertificatePurposes.ClientAuth, s_now));
    }

    [Fact]
    public void Verify_ExpiredLeaf_SaysWhenItExpired()
    {
        using var ca = new TestCertificates();
        var notAfter = new DateTimeOffset(s_now.Year, s_now.Month, s_now.Day, 0, 0, 0, TimeSpan.Zero).AddHours(-1);
        using var leaf = ca.Leaf(CertificatePurposes.ClientAuthOid, notAfter.AddHours(-2), notAfter);

        var failure = CertificateTrust.Verify(leaf, ca.Bundle, CertificatePurposes.ClientAuth, s_now);

        Assert.Equal($"x509: certificate has expired or is not yet valid: current time {s_now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} is after {notAfter.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}", failure);
    }

    [Fact]
    public void Verify_ExpiredLeafWithTimeIgnored_IsTrusted()
    {
        using var ca = new TestCertificates();
        using var leaf = ca.Leaf(CertificatePurposes.ClientAuthOid, s_now.AddHours(-3), s_now.AddHours(-1));

        Assert.Null(CertificateTrust.Verify(leaf, ca.Bundle, CertificatePurposes.ClientAuth, s_now, ignoreTime: true));
    }

    [Fact]
    public void Verify_NotYetValidLeaf_SaysWhenItStarts()
    {
        using var ca = new TestCertificates();
        using var leaf = ca.Leaf(CertificatePurposes.ClientAuthOid, s_now.AddHours(1), s_now.AddHours(2));

        Assert.StartsWith("x509: certificate has expired or is not yet valid: current time", CertificateTrust.Verify(leaf, ca.Bundle, CertificatePurposes.ClientAuth, s_now));
        Assert.Contains(" is before ", CertificateTrust.Verify(leaf, ca.Bundle, CertificatePurposes.ClientAuth, s_now), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ServerCertificateUsedAsClient_IsAnIncompatibleKeyUsage()
    {
        using var ca = new TestCertificates();
        using var server = ca.Leaf(CertificatePurposes.ServerAuthOid, s_now.AddHours(-1), s_now.AddHours(1));

        Assert.Equal("x509: certificate specifies an incompatible key usage", CertificateTrust.Verify(server, ca.Bundle, CertificatePurposes.ClientAuth, s_now));
        Assert.Null(CertificateTrust.Verify(server, ca.Bundle, CertificatePurposes.ServerAuth, s_now));
    }

    [Fact]
    public void ClusterServerTrust_NameMismatch_SaysWhichNamesTheCertificateHas()
    {
        using var ca = new TestCertificates();
        using var server = ca.Leaf(CertificatePurposes.ServerAuthOid, s_now.AddHours(-1), s_now.AddHours(1), "cp.example", IPAddress.Parse("10.0.0.1"));
        var trust = new ClusterServerTrust(ca.Bundle);

        Assert.Null(trust.Check(server, SslPolicyErrors.None, "cp.example"));
        Assert.Equal("x509: certificate is valid for cp.example, 10.0.0.1, not 10.0.0.2", trust.Check(server, SslPolicyErrors.RemoteCertificateNameMismatch, "10.0.0.2"));
    }

    [Fact]
    public void ClusterServerTrust_ServerOfAnotherCa_IsRefusedEvenWhenTheSystemWouldAccept()
    {
        using var ca = new TestCertificates();
        using var stranger = new TestCertificates("stranger");
        using var server = stranger.Leaf(CertificatePurposes.ServerAuthOid, s_now.AddHours(-1), s_now.AddHours(1), "cp.example");
        var trust = new ClusterServerTrust(ca.Bundle);

        Assert.False(trust.Validate(new object(), server, null, SslPolicyErrors.None));
        Assert.Equal("x509: certificate signed by unknown authority", trust.LastFailure);
    }

    [Fact]
    public void ReadBundle_TwoCertificates_ReadsBoth()
    {
        using var a = new TestCertificates("a");
        using var b = new TestCertificates("b");

        var bundle = CertificateTrust.ReadBundle(a.Authority.ExportCertificatePem() + "\n" + b.Authority.ExportCertificatePem());

        Assert.Equal(["CN=a", "CN=b"], bundle.Select(c => c.Subject));
    }
}
