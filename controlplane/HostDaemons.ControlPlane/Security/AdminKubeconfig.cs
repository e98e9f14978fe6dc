using System.Security.Cryptography;
using HostDaemons.Model.Security;
using HostDaemons.Model.Serialization;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The administrator's kubeconfig (<c>--data-dir/admin.conf</c>, 0600), in kubectl's format: the cluster's server and
/// CA, and a client certificate <c>CN=admin, O=system:masters</c> with its key, all inline as base64 PEM, as kubeadm
/// writes its admin.conf.
/// </summary>
internal static class AdminKubeconfig
{
    public const string ClusterName = KubeconfigText.ClusterName;
    public const string UserName = "admin";
    public const string ContextName = "admin@hostdaemons";

    public static readonly TimeSpan Validity = TimeSpan.FromDays(365);

    /// <summary>A kubeconfig for a new administrator key and certificate, signed by <paramref name="authority"/>.</summary>
    public static string Create(CertificateAuthority authority, string server, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = authority.IssueClient(ClientSubject.Administrator, new System.Security.Cryptography.X509Certificates.PublicKey(key), now, Validity);
        return Render(server, authority.CertificatePem, certificate.ExportCertificatePem(), key.ExportECPrivateKeyPem());
    }

    /// <summary>The kubeconfig's text, for the administrator.</summary>
    public static string Render(string server, string caPem, string certificatePem, string keyPem) =>
        KubeconfigText.Render(server, caPem, certificatePem, keyPem, ClusterName, UserName, ContextName);

    /// <summary>Whether an existing kubeconfig's cluster is <paramref name="server"/> with CA <paramref name="caPem"/>; an unreadable file is not.</summary>
    public static bool Matches(string kubeconfig, string server, string caPem)
    {
        var documents = ManifestParser.Parse(kubeconfig);
        var root = documents.Count > 0 ? documents[0].Root as MappingNode : null;
        var cluster = (root?.Find("clusters") as SequenceNode)?.Items.OfType<MappingNode>()
            .FirstOrDefault(c => c.FindString("name") == ClusterName)?.Find("cluster") as MappingNode;
        return cluster?.FindString("server") == server && cluster.FindString("certificate-authority-data") == KubeconfigText.Base64(caPem);
    }
}
