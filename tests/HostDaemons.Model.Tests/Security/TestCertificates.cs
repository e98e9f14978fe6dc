using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.Model.Security;

namespace HostDaemons.Model.Tests.Security;

/// <summary>A small CA and the leaves it signs, for the trust checks (the control plane's own CA has its own tests).</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name = "test-ca")
    {
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        using var signed = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        Authority = X509CertificateLoader.LoadCertificate(signed.RawData);
    }

    public X509Certificate2 Authority { get; }

    public X509Certificate2Collection Bundle => [Authority];

    public X509Certificate2 Leaf(string purposeOid, DateTimeOffset notBefore, DateTimeOffset notAfter, string? dnsName = null, IPAddress? address = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(purposeOid)], false));
        if (dnsName is not null || address is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            if (dnsName is not null)
            {
                names.AddDnsName(dnsName);
            }

            if (address is not null)
            {
                names.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        using var signed = request.Create(Authority.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), notBefore, notAfter, [1, 2, 3, 4]);
        return X509CertificateLoader.LoadCertificate(signed.RawData);
    }

    public X509Certificate2 Client() => Leaf(CertificatePurposes.ClientAuthOid, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

    public void Dispose()
    {
        Authority.Dispose();
        _key.Dispose();
    }
}
