using System.Text;

namespace HostDaemons.Model.Security;

/// <summary>
/// A kubeconfig with one cluster, one user with a client certificate and the context joining them, in kubectl's key
/// order (what <c>kubectl config view --raw</c> prints), everything inline as base64 PEM, as kubeadm writes them: the
/// control plane's admin.conf and <c>hdctl kubeconfig user</c>'s output.
/// </summary>
public static class KubeconfigText
{
    /// <summary>The cluster's name in the kubeconfigs HostDaemons writes (kubeadm's is <c>kubernetes</c>).</summary>
    public const string ClusterName = "hostdaemons";

    /// <summary>kubeadm's context name: <c>USER@CLUSTER</c>.</summary>
    public static string ContextName(string userName) => $"{userName}@{ClusterName}";

    public static string Render(string server, string caPem, string certificatePem, string keyPem, string clusterName, string userName, string contextName) => $"""
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: {Base64(caPem)}
            server: {server}
          name: {clusterName}
        contexts:
        - context:
            cluster: {clusterName}
            user: {userName}
          name: {contextName}
        current-context: {contextName}
        kind: Config
        preferences: {"{}"}
        users:
        - name: {userName}
          user:
            client-certificate-data: {Base64(certificatePem)}
            client-key-data: {Base64(keyPem)}

        """;

    /// <summary>PEM as the kubeconfig holds it: LF line ends, one final newline, base64.</summary>
    public static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem.ReplaceLineEndings("\n").TrimEnd('\n') + "\n"));
}
