extern alias controlplane;

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using controlplane::HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Security;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>
/// The bench's credentials against a control plane over https://. It reads the cluster CA the control plane made
/// under its <c>--data-dir</c> (<c>pki/ca.crt</c>, <c>pki/ca.key</c>), as an administrator holding those files can, and
/// issues with the product's <see cref="CertificateAuthority"/>: an administrator's certificate for the admin calls,
/// and a node's (<c>CN=system:node:NAME, O=system:nodes</c>, ECDSA P-256) for each simulated or real agent.
/// Connections trust the cluster CA alone, as hdctl and the agent do.
/// </summary>
internal sealed class BenchPki : IDisposable
{
    private static readonly TimeSpan s_validity = TimeSpan.FromDays(1);

    private readonly CertificateAuthority _authority;

    private BenchPki(CertificateAuthority authority)
    {
        _authority = authority;
        Authorities = [X509CertificateLoader.LoadCertificate(authority.Certificate.RawData)];
        Trust = new ClusterServerTrust(Authorities);
    }

    public X509Certificate2Collection Authorities { get; }

    /// <summary>The check of the control plane's serving certificate, shared by every connection.</summary>
    public ClusterServerTrust Trust { get; }

    /// <summary>Waits for the control plane's first start to write its CA, then reads it.</summary>
    public static async Task<BenchPki> LoadAsync(string dataDir, ChildProcess controlPlane, CancellationToken cancellationToken)
    {
        var files = new PkiFiles(dataDir);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (!File.Exists(files.CaCertificate) || !File.Exists(files.CaKey))
        {
            controlPlane.ThrowIfExited("the control plane");
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new BenchFailedException($"the control plane wrote no CA under {files.Directory}");
            }

            await Task.Delay(20, cancellationToken);
        }

        return new BenchPki(CertificateAuthority.FromPem(await File.ReadAllTextAsync(files.CaCertificate, cancellationToken),
            await File.ReadAllTextAsync(files.CaKey, cancellationToken)));
    }

    public X509Certificate2 IssueAdministrator() => _authority.IssueClientWithNewKey(ClientSubject.Administrator, DateTimeOffset.UtcNow, s_validity);

    public X509Certificate2 IssueNode(string nodeName) => _authority.IssueClientWithNewKey(ClientSubject.Node(nodeName), DateTimeOffset.UtcNow, s_validity);

    /// <summary>Writes <c>ca.crt</c>, <c>node.crt</c> and <c>node.key</c> where a real agent looks: <c>STATE-DIR/pki</c>.</summary>
    public void WriteNodeFiles(string nodeName, string stateDir)
    {
        using var certificate = IssueNode(nodeName);
        using var key = certificate.GetECDsaPrivateKey()!;
        var directory = Path.Combine(stateDir, "pki");
        Directory.CreateDirectory(directory);
        CredentialFiles.WritePublic(Path.Combine(directory, "ca.crt"), _authority.CertificatePem);
        CredentialFiles.WritePublic(Path.Combine(directory, "node.crt"), certificate.ExportCertificatePem());
        CredentialFiles.WritePrivate(Path.Combine(directory, "node.key"), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>TLS 1.2+ trusting the cluster CA alone, presenting <paramref name="client"/>.</summary>
    public SslClientAuthenticationOptions ClientOptions(X509Certificate2 client)
    {
        var options = new SslClientAuthenticationOptions { ClientCertificates = [client] };
        Trust.Apply(options);
        return options;
    }

    public void Dispose()
    {
        foreach (var authority in Authorities)
        {
            authority.Dispose();
        }

        _authority.Dispose();
    }
}
