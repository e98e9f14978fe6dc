namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The certificates the cluster no longer accepts, by serial number (upper-case hex, as
/// <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2.SerialNumber"/> gives it). Checked on
/// every call (<see cref="ClientCertificateValidator.Recheck"/>), not at the handshake, so a revoked certificate gets
/// an Unauthenticated answer that says so on a new connection and on one already open. The seam for
/// <c>hdctl delete node</c>'s revocation: register a store-backed implementation.
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
