using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// Where the control plane listens (<c>--listen</c>): <c>https://ADDRESS:PORT</c>, or <c>http://</c> on a loopback
/// address only, the development mode in which every caller is an administrator. ADDRESS is an IP address (0.0.0.0 or
/// [::] for every address) or <c>localhost</c>.
/// </summary>
internal sealed record ListenEndpoint(Uri Url, IPAddress? Address, int Port)
{
    public bool IsTls => Url.Scheme == Uri.UriSchemeHttps;

    /// <summary>Plaintext on loopback: every caller an administrator, nodes named by their header.</summary>
    public bool IsDevelopmentMode => !IsTls;

    /// <summary><c>localhost</c>, which Kestrel binds on 127.0.0.1 and ::1.</summary>
    public bool IsLocalhost => Address is null;

    public bool IsWildcard => Address is not null && (Address.Equals(IPAddress.Any) || Address.Equals(IPAddress.IPv6Any));

    public bool IsLoopback => Address is null || IPAddress.IsLoopback(Address);

    /// <summary>The URL a client on this host dials: a wildcard address becomes the loopback one.</summary>
    public string LocalUrl
    {
        get
        {
            var host = Address switch
            {
                null => "localhost",
                _ when Address.Equals(IPAddress.Any) => "127.0.0.1",
                _ when Address.Equals(IPAddress.IPv6Any) => "[::1]",
                _ => Url.Host,
            };
            return $"{Url.Scheme}://{host}:{Port}";
        }
    }

    public static ListenEndpoint Parse(string value) =>
        TryParse(value, out var endpoint, out var error) ? endpoint : throw new FormatException(error);

    public static bool TryParse(string value, [NotNullWhen(true)] out ListenEndpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            error = $"must be an https://ADDRESS:PORT URL, got \"{value}\"";
            return false;
        }

        IPAddress? address = null;
        if (!string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out address))
            {
                error = $"\"{uri.Host}\" in \"{value}\" must be an IP address or localhost (to listen on every address, use 0.0.0.0)";
                return false;
            }
        }

        endpoint = new ListenEndpoint(uri, address, uri.Port);
        if (uri.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback)
        {
            var secure = $"https://{uri.Authority}";
            error = $"refusing to serve plaintext http:// on {uri.Host}: every caller of a plaintext control plane is an administrator "
                + $"and nodes are whoever they say they are, so http:// is only for development on a loopback address (127.0.0.1, ::1, localhost); "
                + $"use --listen {secure} to serve other hosts over TLS with client certificates";
            endpoint = null;
            return false;
        }

        error = null;
        return true;
    }
}
