using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// Kestrel's one endpoint, from <c>--listen</c>: over TLS, HTTP/2 and HTTP/1.1 by ALPN (gRPC now, the Kubernetes REST
/// API later on the same port) with <see cref="ServerTls"/>'s per-connection options; in development mode, plaintext
/// HTTP/2 (h2c with prior knowledge) and HTTP/1.1 (<see cref="CleartextProtocols"/>), on loopback only. A plaintext client on the TLS port fails its handshake.
/// </summary>
internal static class ApiListener
{
    public static void Configure(KestrelServerOptions kestrel)
    {
        var listen = kestrel.ApplicationServices.GetRequiredService<ListenEndpoint>();
        Action<ListenOptions> configure = listen.IsTls
            ? options =>
            {
                options.Protocols = HttpProtocols.Http1AndHttp2;
                options.UseHttps(kestrel.ApplicationServices.GetRequiredService<ServerTls>().CallbackOptions);
            }
            : options => CleartextProtocols.Configure(options, CleartextProtocols.Http1SocketPath(listen.Port));

        if (!listen.IsTls)
        {
            var socket = CleartextProtocols.Http1SocketPath(listen.Port);
            File.Delete(socket);
            kestrel.ListenUnixSocket(socket, CleartextProtocols.ConfigureLocalSocket);
            kestrel.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() => File.Delete(socket));
        }

        if (listen.Address is { } address)
        {
            kestrel.Listen(address, listen.Port, configure);
        }
        else
        {
            kestrel.ListenLocalhost(listen.Port, configure);
        }
    }
}
