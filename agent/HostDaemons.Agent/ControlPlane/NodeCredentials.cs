using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.Model.Security;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.ControlPlane;

/// <summary>
/// The agent's TLS material under <c>--state-dir/pki</c>: <c>ca.crt</c>, the only CA it trusts for the control plane's
/// certificate, and <c>node.crt</c>/<c>node.key</c>, the client certificate it presents when it has one. Every new
/// connection asks for the current certificate, so a renewal that writes a new pair and calls <see cref="Reload"/> is
/// used from the next connection on, with no restart.
/// </summary>
internal sealed class NodeCredentials
{
    private volatile X509Certificate2? _certificate;

    public NodeCredentials(IOptions<AgentOptions> options)
    {
        Directory = Path.Combine(options.Value.StateDir, "pki");
        Reload();
    }

    public string Directory { get; }

    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string CertificateFile => Path.Combine(Directory, "node.crt");

    public string KeyFile => Path.Combine(Directory, "node.key");

    /// <summary>The CA the control plane's certificate must chain to; empty when <c>ca.crt</c> is missing (then no server is trusted).</summary>
    public X509Certificate2Collection Authorities { get; private set; } = [];

    /// <summary>The client certificate with its key, or null when the node has none yet.</summary>
    public X509Certificate2? Certificate => _certificate;

    /// <summary>Reads the files again (after a join or a renewal wrote them).</summary>
    public void Reload()
    {
        Authorities = File.Exists(CaFile) ? CertificateTrust.ReadBundle(File.ReadAllText(CaFile)) : [];
        _certificate = File.Exists(CertificateFile) && File.Exists(KeyFile) ? Load() : null;
    }

    /// <summary>TLS options for a connection to the control plane: this CA only, and the current certificate.</summary>
    public SslClientAuthenticationOptions TlsOptions(ClusterServerTrust trust)
    {
        var options = new SslClientAuthenticationOptions
        {
            LocalCertificateSelectionCallback = (_, _, _, _, _) => _certificate!,
        };
        trust.Apply(options);
        return options;
    }

    private X509Certificate2 Load()
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(CertificateFile, KeyFile);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException($"{CertificateFile} and {KeyFile} cannot be used together: {ex.Message}", ex);
        }
    }
}
