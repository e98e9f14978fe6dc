using System.Security.Cryptography.X509Certificates;
using HostDaemons.Model.Security;

namespace HostDaemons.Model.Tests.Security;

public sealed class CaPinTests
{
    // Made with openssl; its pin as kubeadm documents computing it:
    // openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum
    private const string Certificate = """
        -----BEGIN CERTIFICATE-----
        MIIBgDCCASWgAwIBAgIUbqqKoVA8T5kYWTxSJSnEE6r8n4gwCgYIKoZIzj0EAwIw
        FTETMBEGA1UEAwwKcGluLXZlY3RvcjAeFw0yNjEyMDYxMTUzNDJaFw0zNjEyMDMx
        MTUzNDJaMBUxEzARBgNVBAMMCnBpbi12ZWN0b3IwWTATBgcqhkjOPQIBBggqhkjO
        PQMBBwNCAASkLnmwhPdm1s/2A44J+BbvgA4Xiw7My+K59ROMu8Vc01n3FoUV0Ff8
        K0EqzmsbsJAEpl81/fq1PzJZ6kCXRLWPo1MwUTAdBgNVHQ4EFgQUUe8f4kA4WNQ4
        eqoFknjcWCxgx6MwHwYDVR0jBBgwFoAUUe8f4kA4WNQ4eqoFknjcWCxgx6MwDwYD
        VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEAqX3QCoYqGhOqldMR8Bv4
        oD06+PD3GF95bnXKjhvqdG0CIQC/FJbO5sObvlKu8WYlAis6BUpDqscqUGqGm/jW
        jU7Klg==
        -----END CERTIFICATE-----
        """;

    private const string OpensslPin = "54f53a74b3d2bdaf4acd4a17e21ee8b9422078cd14ea76562e01b1cd43da5bb7";

    [Fact]
    public void Compute_OpensslMadeCertificate_IsTheSha256OfItsSubjectPublicKeyInfo()
    {
        using var certificate = X509Certificate2.CreateFromPem(Certificate);

        Assert.Equal(OpensslPin, CaPin.Compute(certificate));
    }

    [Fact]
    public void Matches_SamePinInUpperCase_Matches()
    {
        using var certificate = X509Certificate2.CreateFromPem(Certificate);

        Assert.True(CaPin.Matches(certificate, OpensslPin.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("54f53a74b3d2bdaf4acd4a17e21ee8b9422078cd14ea76562e01b1cd43da5bb8")]
    [InlineData("54f53a74")]
    [InlineData("")]
    public void Matches_AnotherPin_DoesNotMatch(string pin)
    {
        using var certificate = X509Certificate2.CreateFromPem(Certificate);

        Assert.False(CaPin.Matches(certificate, pin));
    }

    [Fact]
    public void Compute_AnotherCa_DiffersFromThisOne()
    {
        using var other = new TestCertificates();

        Assert.NotEqual(OpensslPin, CaPin.Compute(other.Authority));
    }
}
