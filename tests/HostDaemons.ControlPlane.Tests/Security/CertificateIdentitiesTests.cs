using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Tests.Security;

public sealed class CertificateIdentitiesTests
{
    private static readonly CertificateAuthority s_ca = CertificateAuthority.Create(DateTimeOffset.UtcNow, TimeSpan.FromDays(10));

    [Fact]
    public void From_NodeCertificate_IsTheNodeWithItsGroups()
    {
        using var certificate = TestIdentities.Client(s_ca, "system:node:edge-01", "system:nodes");

        var identity = TestIdentities.Identity(certificate);

        Assert.Equal(("system:node:edge-01", "edge-01", true), (identity.User, identity.NodeName, identity.ClaimsNode));
        Assert.Equal(["system:nodes", "system:authenticated"], identity.Groups);
        Assert.Equal(certificate.SerialNumber, identity.CertificateSerial);
        Assert.Equal(AuthenticationMethod.ClientCertificate, identity.Method);
    }

    [Fact]
    public void From_AdminCertificate_IsAUserInSystemMasters()
    {
        using var certificate = TestIdentities.Client(s_ca, "admin", "system:masters");

        var identity = TestIdentities.Identity(certificate);

        Assert.Equal(("admin", (string?)null, false), (identity.User, identity.NodeName, identity.ClaimsNode));
        Assert.Equal(["system:masters", "system:authenticated"], identity.Groups);
        Assert.Equal("User \"admin\" (groups [\"system:masters\" \"system:authenticated\"])", identity.ToString());
    }

    [Theory]
    [InlineData("system:node:edge-01")]
    [InlineData("system:node:Bad_Name", "system:nodes")]
    [InlineData("system:node:", "system:nodes")]
    [InlineData("edge-01", "system:nodes")]
    public void From_HalfANodeIdentity_IsNoNodeButStillClaimsToBeOne(string commonName, params string[] groups)
    {
        using var certificate = TestIdentities.Client(s_ca, commonName, groups);

        var identity = TestIdentities.Identity(certificate);

        Assert.Null(identity.NodeName);
        Assert.True(identity.ClaimsNode);
    }

    [Fact]
    public void From_NoCommonName_NamesNobody()
    {
        using var key = ECDsa.Create();
        using var certificate = s_ca.IssueClient(new ClientSubject("x", []), new PublicKey(key), DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        var request = new CertificateRequest("O=system:masters", key, HashAlgorithmName.SHA256);
        using var withoutName = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.Null(CertificateIdentities.From(withoutName, out var problem));
        Assert.Equal("the client certificate's subject has no common name (CN), so it names no user", problem);
    }

    [Fact]
    public void From_TwoCommonNames_IsRefused()
    {
        using var key = ECDsa.Create();
        using var twoNames = new CertificateRequest("CN=admin, CN=system:node:a", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.Null(CertificateIdentities.From(twoNames, out var problem));
        Assert.Equal("the client certificate's subject has more than one common name (CN)", problem);
    }
}
