using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.Model.Security;

namespace HostDaemons.Agent.Joining;

/// <summary>The node's key and its certificate signing requests. Only the public key in a request matters to the control plane.</summary>
internal static class NodeKeys
{
    public static ECDsa Generate() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The key in <paramref name="keyFile"/> (PKCS#8 or SEC1 PEM), or null when there is none or it is not ECDSA.</summary>
    public static ECDsa? Read(string keyFile)
    {
        if (!File.Exists(keyFile))
        {
            return null;
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(keyFile));
            return key;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            key.Dispose();
            return null;
        }
    }

    /// <summary>A PKCS#10 request (DER) for the key, naming the node as its certificate will.</summary>
    public static byte[] CertificateRequest(ECDsa key, string nodeName)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(ClusterIdentities.NodeUser(nodeName));
        subject.AddOrganizationName(ClusterIdentities.NodesGroup);
        return new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSigningRequest();
    }

    /// <summary>Null when the issued certificate is for <paramref name="key"/> and chains to <paramref name="authorities"/> for clientAuth; else why not.</summary>
    public static string? CheckIssued(X509Certificate2 certificate, ECDsa key, X509Certificate2Collection authorities, DateTimeOffset now)
    {
        using var issuedKey = certificate.GetECDsaPublicKey();
        if (issuedKey is null || !issuedKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            return "the certificate the control plane returned is not for this node's key";
        }

        return CertificateTrust.Verify(certificate, authorities, CertificatePurposes.ClientAuth, now);
    }
}
