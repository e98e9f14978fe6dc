using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// HTTP/2 and HTTP/1.1 on one cleartext port, for the loopback development mode. Without TLS there is no ALPN, and
/// Kestrel serves a cleartext endpoint with one protocol (dotnet/aspnetcore#56984), so the endpoint is HTTP/2 (hdctl's
/// and the agents' gRPC, with prior knowledge), and a connection that does not open with HTTP/2's preface (kubectl,
/// curl) is relayed byte for byte to a private HTTP/1.1 endpoint of the same application on a Unix socket.
/// </summary>
internal static class CleartextProtocols
{
    /// <summary>Marks, in the connection's items, a connection of the private socket.</summary>
    public const string LocalSocketItem = "hostdaemons.local-socket";

    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>The private HTTP/1.1 socket of a development-mode listener on <paramref name="port"/>.</summary>
    public static string Http1SocketPath(int port) => Path.Combine(Path.GetTempPath(), $"hostdaemons-{Environment.ProcessId}-{port}.sock");

    /// <summary>The private HTTP/1.1 endpoint: its connections are marked as relayed from the loopback port.</summary>
    public static void ConfigureLocalSocket(ListenOptions options)
    {
        options.Protocols = HttpProtocols.Http1;
        options.Use(next => connection =>
        {
            connection.Items[LocalSocketItem] = true;
            return next(connection);
        });
    }

    public static void Configure(ListenOptions options, string http1Socket)
    {
        options.Protocols = HttpProtocols.Http2;
        options.Use(next => async connection =>
        {
            if (await OpensWithPrefaceAsync(connection.Transport.Input, connection.ConnectionClosed).ConfigureAwait(false))
            {
                await next(connection).ConfigureAwait(false);
                return;
            }

            await RelayAsync(connection, http1Socket).ConfigureAwait(false);
        });
    }

    /// <summary>Peeks (consumes nothing) until the first bytes match HTTP/2's preface or cannot.</summary>
    private static async Task<bool> OpensWithPrefaceAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var (matches, length) = MatchPreface(buffer);
            if (!matches || length == Preface.Length || result.IsCompleted)
            {
                // Nothing consumed or examined: the protocol that serves the connection reads it all.
                input.AdvanceTo(buffer.Start);
                return matches && length == Preface.Length;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Whether the bytes read so far are a prefix of the preface, and how many were compared.</summary>
    private static (bool Matches, int Length) MatchPreface(ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        Span<byte> head = stackalloc byte[24];
        buffer.Slice(0, length).CopyTo(head);
        return (head[..length].SequenceEqual(Preface[..length]), length);
    }

    private static async Task RelayAsync(ConnectionContext connection, string http1Socket)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(http1Socket), connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return;
        }

        await using var upstream = new NetworkStream(socket, ownsSocket: false);
        var toServer = CopyAsync(connection.Transport.Input, upstream, socket);
        var toClient = upstream.CopyToAsync(connection.Transport.Output.AsStream(leaveOpen: true), connection.ConnectionClosed);
        await Task.WhenAny(toServer, toClient).ConfigureAwait(false);
        socket.Close();
        await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
        await Task.WhenAll(toServer, toClient).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    private static async Task CopyAsync(PipeReader input, NetworkStream upstream, Socket socket)
    {
        try
        {
            await input.CopyToAsync(upstream).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}
