using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostDaemons.Model.Security;

/// <summary>
/// The CA pin a join token carries: the SHA-256 of the CA certificate's SubjectPublicKeyInfo, in lower-case hex (what
/// kubeadm's <c>--discovery-token-ca-cert-hash sha256:...</c> holds). It names the key, so a CA certificate re-issued
/// for the same key keeps its pin.
/// </summary>
public static class CaPin
{
    public static string Compute(X509Certificate2 authority) =>
        Convert.ToHexStringLower(SHA256.HashData(authority.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary>Whether <paramref name="authority"/> is the CA <paramref name="pin"/> names (case-insensitive, constant time).</summary>
    public static bool Matches(X509Certificate2 authority, string pin)
    {
        var expected = Compute(authority);
        return pin.Length == expected.Length
            && CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(expected),
                System.Text.Encoding.ASCII.GetBytes(pin.ToLowerInvariant()));
    }
}
