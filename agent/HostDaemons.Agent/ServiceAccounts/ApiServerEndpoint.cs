using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HostDaemons.Agent.ServiceAccounts;

/// <summary>
/// The control plane address containers are given (<c>--api-server-address</c>, else the host and port of
/// <c>--server</c>), as the kubelet gives every container the <c>kubernetes</c> Service's address: the variables of a
/// Service named kubernetes with one port named https.
/// </summary>
internal sealed record ApiServerEndpoint(string Host, int Port)
{
    /// <summary><c>https://HOST:PORT</c> or <c>HOST:PORT</c> (an IPv6 address in brackets); without a port, 443.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ApiServerEndpoint? endpoint)
    {
        endpoint = null;
        var url = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            return false;
        }

        endpoint = From(uri);
        return true;
    }

    /// <summary>The host and port of the control plane URL the agent connects to.</summary>
    public static ApiServerEndpoint From(Uri server) => new(server.Host.Trim('[', ']'), server.Port);

    /// <summary>The kubelet's variables for the <c>kubernetes</c> Service, in its order.</summary>
    public IReadOnlyList<(string Name, string Value)> Variables()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        var address = $"tcp://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{port}";
        var prefix = $"KUBERNETES_PORT_{port}_TCP";
        return
        [
            ("KUBERNETES_SERVICE_HOST", Host),
            ("KUBERNETES_SERVICE_PORT", port),
            ("KUBERNETES_SERVICE_PORT_HTTPS", port),
            ("KUBERNETES_PORT", address),
            (prefix, address),
            (prefix + "_PROTO", "tcp"),
            (prefix + "_PORT", port),
            (prefix + "_ADDR", Host),
        ];
    }
}
