using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The names the serving certificate must carry: <c>--tls-san</c> (host names or addresses, comma-separated), the host
/// name, <c>localhost</c>, 127.0.0.1 and ::1, and the listen address; a wildcard listen (0.0.0.0, [::]) stands for
/// every address of the host's interfaces.
/// </summary>
internal sealed record ServingNames(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> Addresses)
{
    public static ServingNames For(ListenEndpoint listen, string tlsSan, Func<IEnumerable<IPAddress>>? hostAddresses = null)
    {
        var dns = new List<string>();
        var addresses = new List<IPAddress>();
        foreach (var entry in SplitSans(tlsSan))
        {
            if (IPAddress.TryParse(entry, out var address))
            {
                Add(addresses, address);
            }
            else
            {
                Add(dns, entry.ToLowerInvariant());
            }
        }

        Add(dns, Dns.GetHostName().ToLowerInvariant());
        Add(dns, "localhost");
        Add(addresses, IPAddress.Loopback);
        Add(addresses, IPAddress.IPv6Loopback);
        if (listen.IsWildcard)
        {
            foreach (var address in (hostAddresses ?? InterfaceAddresses)())
            {
                Add(addresses, address);
            }
        }
        else if (listen.Address is { } specific)
        {
            Add(addresses, specific);
        }

        return new ServingNames(dns, addresses);
    }

    /// <summary>The entries of <c>--tls-san</c>; an empty list when it is empty.</summary>
    public static IEnumerable<string> SplitSans(string tlsSan) =>
        tlsSan.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.Trim('[', ']'));

    /// <summary>Whether a certificate with these names covers every name in <paramref name="required"/>.</summary>
    public bool Covers(ServingNames required) =>
        required.DnsNames.All(n => DnsNames.Contains(n, StringComparer.OrdinalIgnoreCase)) && required.Addresses.All(Addresses.Contains);

    public override string ToString() => string.Join(", ", DnsNames.Concat(Addresses.Select(a => a.ToString())));

    private static IEnumerable<IPAddress> InterfaceAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal))
            .Select(a => new IPAddress(a.GetAddressBytes()));

    private static void Add<T>(List<T> list, T item)
    {
        if (!list.Contains(item))
        {
            list.Add(item);
        }
    }
}
