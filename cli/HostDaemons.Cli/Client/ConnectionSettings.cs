using System.Security.Cryptography.X509Certificates;

namespace HostDaemons.Cli.Client;

/// <summary>
/// How hdctl reaches the control plane: the server, and for https:// the CAs its certificate must chain to (only
/// those), the client certificate to present and/or a bearer token. <paramref name="Source"/> is the kubeconfig they
/// came from, if any.
/// </summary>
internal sealed record ConnectionSettings(
    string Server,
    X509Certificate2Collection Authorities,
    X509Certificate2? ClientCertificate = null,
    string? Token = null,
    string? TlsServerName = null,
    string? Source = null)
{
    public static ConnectionSettings Plaintext(string server) => new(server, []);

    /// <summary>kubectl's <c>--as</c>: the user every call acts as, when the credentials may impersonate it.</summary>
    public string? ImpersonateUser { get; init; }

    /// <summary>kubectl's <c>--as-group</c>.</summary>
    public IReadOnlyList<string> ImpersonateGroups { get; init; } = [];
}
