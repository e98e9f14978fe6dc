using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The control plane's credentials on disk, under <c>--data-dir</c>: <c>pki/ca.crt</c>, <c>pki/ca.key</c>,
/// <c>pki/serving.crt</c>, <c>pki/serving.key</c> and <c>admin.conf</c>. Keys and the kubeconfig are written 0600 (in a
/// 0700 directory) through <see cref="CredentialFiles"/>.
/// </summary>
internal sealed class PkiFiles(string dataDir)
{
    public string Directory { get; } = Path.Combine(dataDir, "pki");

    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    public string CaKey => Path.Combine(Directory, "ca.key");

    public string ServingCertificate => Path.Combine(Directory, "serving.crt");

    public string ServingKey => Path.Combine(Directory, "serving.key");

    public string AdminKubeconfig { get; } = Path.Combine(dataDir, "admin.conf");

    public void EnsureDirectory() => CredentialFiles.EnsurePrivateDirectory(Directory);
}
