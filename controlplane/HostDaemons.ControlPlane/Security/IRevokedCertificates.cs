namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The certificates the cluster no longer accepts, by serial number (upper-case hex, as
/// <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2.SerialNumber"/> gives it). Checked at
/// every TLS handshake and on every call, so a revoked certificate cannot open a connection nor make a new call on one
/// already open. The seam for <c>hdctl delete node</c>'s revocation: register a store-backed implementation.
/// </summary>
internal interface IRevokedCertificates
{
    bool IsRevoked(string serialNumber);
}

/// <summary>Until revocation exists, nothing is revoked.</summary>
internal sealed class NoRevokedCertificates : IRevokedCertificates
{
    public bool IsRevoked(string serialNumber) => false;
}
