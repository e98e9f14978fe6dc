using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Tests.Security;

/// <summary>Client certificates from a real cluster CA, for the identity and role tests.</summary>
internal static class TestIdentities
{
    public static X509Certificate2 Client(CertificateAuthority ca, string commonName, params string[] organizations) =>
        Client(ca, new ClientSubject(commonName, organizations), DateTimeOffset.UtcNow, TimeSpan.FromDays(1));

    public static X509Certificate2 Client(CertificateAuthority ca, ClientSubject subject, DateTimeOffset now, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = ca.IssueClient(subject, new PublicKey(key), now, validity);
        return certificate.CopyWithPrivateKey(key);
    }

    public static CallerIdentity Identity(X509Certificate2 certificate) => CertificateIdentities.From(certificate, out var problem) ?? throw new InvalidOperationException(problem);

    public static CallerIdentity Node(string name) => new($"system:node:{name}", ["system:nodes", "system:authenticated"], AuthenticationMethod.ClientCertificate);

    public static CallerIdentity Admin { get; } = new("admin", ["system:masters", "system:authenticated"], AuthenticationMethod.ClientCertificate);
}
