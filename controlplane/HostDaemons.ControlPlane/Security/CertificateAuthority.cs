using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The cluster CA: it signs the serving certificate, the administrator's client certificate and, from a PKCS#10 request,
/// nodes' client certificates. Every certificate it issues gets a subject and extensions the CA builds itself; from a
/// request only the public key is taken. Certificates start <see cref="Backdate"/> early (clock skew between hosts)
/// and never outlive the CA.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    public static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(3650);

    private readonly AsymmetricAlgorithm _key;
    private readonly X509SignatureGenerator _signer;

    private CertificateAuthority(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        Certificate = certificate;
        _key = key;
        _signer = key switch
        {
            ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
            RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
            _ => throw new PkiException("the CA key must be ECDSA or RSA"),
        };
        Pin = CaPin.Compute(certificate);
    }

    /// <summary>The CA certificate, without its key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 of the CA's SubjectPublicKeyInfo, hex: what a join token pins.</summary>
    public string Pin { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    public string KeyPem => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>A new CA: ECDSA P-256, <c>CN=hostdaemons-ca</c>, allowed to sign leaf certificates only (path length 0).</summary>
    public static CertificateAuthority Create(DateTimeOffset now, TimeSpan validity)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(ClusterIdentities.CaCommonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var signed = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), now - Backdate, now + validity, NewSerial());
        return new CertificateAuthority(X509CertificateLoader.LoadCertificate(signed.RawData), key);
    }

    /// <summary>A CA from PEM files (<c>--ca-file</c>/<c>--ca-key-file</c>, or <c>pki/ca.crt</c> and <c>ca.key</c>): the key must match and the certificate be a CA's.</summary>
    public static CertificateAuthority FromPem(string certificatePem, string keyPem)
    {
        X509Certificate2 withKey;
        try
        {
            withKey = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new PkiException($"the CA certificate and key cannot be read together: {ex.Message}");
        }

        using (withKey)
        {
            var constraints = withKey.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
            if (constraints is not { CertificateAuthority: true })
            {
                throw new PkiException($"\"{withKey.Subject}\" is not a CA certificate (basicConstraints CA:TRUE is missing)");
            }

            var usage = withKey.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
            if (usage is not null && (usage.KeyUsages & X509KeyUsageFlags.KeyCertSign) == 0)
            {
                throw new PkiException($"\"{withKey.Subject}\" may not sign certificates (keyUsage lacks keyCertSign)");
            }

            AsymmetricAlgorithm key = (AsymmetricAlgorithm?)withKey.GetECDsaPrivateKey() ?? withKey.GetRSAPrivateKey()
                ?? throw new PkiException("the CA key must be ECDSA or RSA");
            return new CertificateAuthority(X509CertificateLoader.LoadCertificate(withKey.RawData), key);
        }
    }

    /// <summary>A serving certificate (serverAuth) for these names, with a new ECDSA P-256 key.</summary>
    public X509Certificate2 IssueServing(IReadOnlyCollection<string> dnsNames, IReadOnlyCollection<IPAddress> addresses, DateTimeOffset now, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(dnsNames.FirstOrDefault() ?? addresses.FirstOrDefault()?.ToString() ?? "hostdaemons-controlplane");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        using var signed = Sign(request, CertificatePurposes.ServerAuth, now, validity);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A client certificate (clientAuth only) for <paramref name="subject"/> and a key the caller holds (the administrator's kubeconfig).</summary>
    public X509Certificate2 IssueClient(ClientSubject subject, PublicKey publicKey, DateTimeOffset now, TimeSpan validity)
    {
        CheckKeyStrength(publicKey);
        var request = new CertificateRequest(subject.ToDistinguishedName(), publicKey, HashAlgorithmName.SHA256);
        return Sign(request, CertificatePurposes.ClientAuth, now, validity);
    }

    /// <summary>
    /// A client certificate for <paramref name="subject"/> and a new ECDSA P-256 key, the key included: what an
    /// administrator holding the CA files issues directly (tests, the bench), instead of a node's join.
    /// </summary>
    public X509Certificate2 IssueClientWithNewKey(ClientSubject subject, DateTimeOffset now, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = IssueClient(subject, new PublicKey(key), now, validity);
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// A client certificate for the key of a PKCS#10 request (DER), whose signature must verify. The subject is
    /// <paramref name="subject"/>; the request's own subject, extensions and attributes are ignored, so it cannot ask
    /// for other names, serverAuth or CA:TRUE. Weak keys (RSA under 2048 bits, EC under 256) are refused.
    /// </summary>
    public X509Certificate2 IssueClientForRequest(byte[] pkcs10, ClientSubject subject, DateTimeOffset now, TimeSpan validity)
    {
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequest(pkcs10, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException ex)
        {
            throw new PkiException($"the certificate signing request is invalid: {ex.Message}");
        }

        return IssueClient(subject, request.PublicKey, now, validity);
    }

    private X509Certificate2 Sign(CertificateRequest request, System.Security.Cryptography.Oid purpose, DateTimeOffset now, TimeSpan validity)
    {
        var isRsa = request.PublicKey.Oid.Value == RsaOid;
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | (isRsa ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.None), critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([purpose], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any())
        {
            // A CA brought with --ca-file may lack a subjectKeyIdentifier; then chains are matched by name alone.
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        }

        var notBefore = now - Backdate;
        var notAfter = now + validity;
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }

        return request.Create(Certificate.SubjectName, _signer, notBefore, notAfter, NewSerial());
    }

    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    internal static void CheckKeyStrength(PublicKey key)
    {
        switch (key.Oid.Value)
        {
            case EcOid:
                using (var ec = key.GetECDsaPublicKey())
                {
                    if (ec is null || ec.KeySize < 256)
                    {
                        throw new PkiException($"an ECDSA key of {ec?.KeySize} bits is too weak: use P-256 or stronger");
                    }
                }

                break;
            case RsaOid:
                using (var rsa = key.GetRSAPublicKey())
                {
                    if (rsa is null || rsa.KeySize < 2048)
                    {
                        throw new PkiException($"an RSA key of {rsa?.KeySize} bits is too weak: use 2048 bits or more, or ECDSA P-256");
                    }
                }

                break;
            default:
                throw new PkiException($"keys of type {key.Oid.FriendlyName ?? key.Oid.Value} are not accepted: use ECDSA P-256 or RSA 2048");
        }
    }

    /// <summary>128 random bits, positive: unique without a counter to keep.</summary>
    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}

/// <summary>The subject the CA writes into a client certificate: the user (CN) and their groups (O).</summary>
internal sealed record ClientSubject(string CommonName, IReadOnlyList<string> Organizations)
{
    public static ClientSubject Node(string nodeName) => new(ClusterIdentities.NodeUser(nodeName), [ClusterIdentities.NodesGroup]);

    public static ClientSubject Administrator { get; } = new(ClusterIdentities.AdminUser, [ClusterIdentities.MastersGroup]);

    public X500DistinguishedName ToDistinguishedName()
    {
        // The builder writes its names in reverse order of addition: this gives kubeadm's O=..., CN=... sequence.
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(CommonName);
        foreach (var organization in Organizations.Reverse())
        {
            builder.AddOrganizationName(organization);
        }

        return builder.Build();
    }
}

/// <summary>A CA or credential file that cannot be used, or a request the CA refuses; the message says why.</summary>
internal sealed class PkiException(string message, Exception? inner = null) : Exception(message, inner);
