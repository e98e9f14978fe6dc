using System.Net;
using System.Net.Sockets;

namespace HostDaemons.Agent.Probes;

/// <summary>
/// Opens the TCP connection of an httpGet or tcpSocket probe: from the agent as it is for a pod on the host's network,
/// from inside the container's network namespace otherwise (where the pod's only address is its loopback).
/// </summary>
internal static class ProbeDialer
{
    /// <summary>Where a probe without <c>host</c> connects: the pod's own loopback, on the host or in its namespace.</summary>
    public const string DefaultHost = "127.0.0.1";

    public static Task<Socket> ConnectAsync(ProbeTarget target, string host, int port, CancellationToken cancellationToken) =>
        ConnectAsync(target.HostNetwork, target.Instance.Pid, host, port, cancellationToken);

    /// <param name="hostNetwork">The pod shares the host's network: connect from the agent as it is.</param>
    /// <param name="pid">Otherwise the container's process, whose network namespace the connection is made in.</param>
    /// <param name="host">The address or name to connect to.</param>
    /// <param name="port">The port to connect to.</param>
    /// <param name="cancellationToken">Ends the attempt.</param>
    public static async Task<Socket> ConnectAsync(bool hostNetwork, int pid, string host, int port, CancellationToken cancellationToken)
    {
        var address = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        Socket socket;
        if (hostNetwork)
        {
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        }
        else if (pid > 0)
        {
            socket = await NetworkNamespace.CreateSocketAsync(pid, address.AddressFamily).ConfigureAwait(false);
        }
        else
        {
            throw new IOException("the container has no running process to reach its network through");
        }

        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An address literal as it is, a name as the host resolves it (IPv4 first, as the pod's loopback is).</summary>
    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return literal;
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        return addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
            ?? throw new IOException($"lookup {host}: no such host");
    }
}
