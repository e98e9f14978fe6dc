using System.Security.Cryptography.X509Certificates;
using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// Whether a client certificate is accepted: it chains to the cluster CA alone (no system roots), allows clientAuth,
/// is valid now, and is not revoked. The TLS handshake checks the first two (<see cref="CheckIssuer"/>: a certificate
/// that is not the cluster's never gets a connection); every call checks the last two (<see cref="Recheck"/>), so a
/// connection cannot outlive its certificate or its revocation, and an expired or revoked certificate gets an
/// Unauthenticated answer that says so (an agent can tell it must rejoin) rather than a failed handshake.
/// </summary>
internal sealed class ClientCertificateValidator(ClusterPki pki, IRevokedCertificates revoked, TimeProvider time)
{
    public const string Revoked = "x509: certificate has been revoked";

    /// <summary>Null when the certificate was issued by the cluster CA for clientAuth, whatever its dates; else why not.</summary>
    public string? CheckIssuer(X509Certificate2 certificate) =>
        CertificateTrust.Verify(certificate, pki.Authorities, CertificatePurposes.ClientAuth, time.GetUtcNow(), ignoreTime: true);

    /// <summary>Null when accepted in full (issuer, purpose, time, revocation), else why not (Go's x509 words).</summary>
    public string? Validate(X509Certificate2 certificate)
    {
        if (CertificateTrust.Verify(certificate, pki.Authorities, CertificatePurposes.ClientAuth, time.GetUtcNow()) is { } failure)
        {
            return failure;
        }

        return revoked.IsRevoked(certificate.SerialNumber) ? Revoked : null;
    }

    /// <summary>The checks a call makes on a connection's already validated certificate: still valid, still not revoked.</summary>
    public string? Recheck(X509Certificate2 certificate)
    {
        var now = time.GetUtcNow();
        if (now > certificate.NotAfter.ToUniversalTime() || now < certificate.NotBefore.ToUniversalTime())
        {
            return $"x509: certificate has expired or is not yet valid: current time {now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} is outside {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}";
        }

        return revoked.IsRevoked(certificate.SerialNumber) ? Revoked : null;
    }
}
