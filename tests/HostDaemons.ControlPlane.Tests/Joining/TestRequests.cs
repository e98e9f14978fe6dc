using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostDaemons.ControlPlane.Tests.Joining;

/// <summary>Certificate signing requests as a joining host (or an attacker) would send them.</summary>
internal static class TestRequests
{
    /// <summary>A request for <paramref name="key"/> that asks for everything a node must not get: another subject, SANs, serverAuth, CA:TRUE.</summary>
    public static byte[] Greedy(AsymmetricAlgorithm key, string commonName = "system:node:someone-else")
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        subject.AddOrganizationName("system:masters");
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject.Build(), ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("ECDSA or RSA", nameof(key)),
        };
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("controlplane.example");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSigningRequest();
    }

    public static byte[] Plain(ECDsa key) =>
        new CertificateRequest("CN=system:node:x", key, HashAlgorithmName.SHA256).CreateSigningRequest();

    /// <summary>The request with its signature's last byte changed: the key no longer proves anything.</summary>
    public static byte[] WithBrokenSignature(byte[] request)
    {
        var copy = (byte[])request.Clone();
        copy[^1] ^= 0x5A;
        return copy;
    }
}
