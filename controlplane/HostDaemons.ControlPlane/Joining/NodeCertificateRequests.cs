using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Joining;

/// <summary>
/// What the control plane takes from a node's certificate signing request: its public key, once the request's
/// signature proves the node holds the private key, and only ECDSA P-256/P-384 or RSA of 2048 bits or more. The
/// request's subject, extensions and attributes are never read: the CA builds the certificate itself.
/// </summary>
internal static class NodeCertificateRequests
{
    private const string EcOid = "1.2.840.10045.2.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";

    /// <summary>The request's public key; throws <see cref="NodeCertificateRequestException"/> saying why it is refused.</summary>
    public static PublicKey PublicKeyOf(ReadOnlySpan<byte> request)
    {
        if (request.IsEmpty)
        {
            throw new NodeCertificateRequestException("the join carries no certificate signing request");
        }

        CertificateRequest parsed;
        try
        {
            parsed = LooksLikePem(request)
                ? CertificateRequest.LoadSigningRequestPem(System.Text.Encoding.ASCII.GetString(request), HashAlgorithmName.SHA256,
                    CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1)
                : CertificateRequest.LoadSigningRequest(request, HashAlgorithmName.SHA256, out _,
                    CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException ex)
        {
            throw new NodeCertificateRequestException($"the certificate signing request is invalid (bad encoding or signature): {ex.Message}");
        }

        CheckKey(parsed.PublicKey);
        return parsed.PublicKey;
    }

    /// <summary>SHA-256 of the key's SubjectPublicKeyInfo, hex: what a node name is bound to.</summary>
    public static string KeyHash(PublicKey key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>The CA's strength rules (RSA of 2048 bits or more, ECDSA of 256 or more), and for ECDSA the two curves nodes may use.</summary>
    private static void CheckKey(PublicKey key)
    {
        try
        {
            CertificateAuthority.CheckKeyStrength(key);
        }
        catch (PkiException ex)
        {
            throw new NodeCertificateRequestException(ex.Message);
        }

        if (key.Oid.Value != EcOid)
        {
            return;
        }

        using var ec = key.GetECDsaPublicKey();
        var curve = ec?.ExportParameters(false).Curve.Oid;
        if (curve?.Value is not (P256Oid or P384Oid))
        {
            throw new NodeCertificateRequestException($"an ECDSA key on curve {curve?.FriendlyName ?? curve?.Value ?? "(unknown)"} is not accepted: use P-256 or P-384");
        }
    }

    private static bool LooksLikePem(ReadOnlySpan<byte> request) => request.StartsWith("-----BEGIN"u8);
}

/// <summary>A certificate signing request the control plane refuses; the message says why.</summary>
internal sealed class NodeCertificateRequestException(string message) : Exception(message);
