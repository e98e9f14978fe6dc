using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using HostDaemons.ControlPlane.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>
/// A stranger posing as a control plane: a tiny Kestrel server on loopback with its own CA, answering the CA-bundle
/// call with that CA and recording every request it receives (path and body), so a test can show what a joining agent
/// sent it, and what it did not.
/// </summary>
public sealed class FakeJoinServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CertificateAuthority _authority;

    private FakeJoinServer(WebApplication app, CertificateAuthority authority)
    {
        _app = app;
        _authority = authority;
    }

    public ConcurrentQueue<(string Path, byte[] Body)> Requests { get; } = new();

    public string Url { get; private set; } = "";

    public static async Task<FakeJoinServer> StartAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var authority = CertificateAuthority.Create(now, TimeSpan.FromDays(1));
        var serving = authority.IssueServing(["localhost"], [IPAddress.Loopback], now, TimeSpan.FromDays(1));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(serving);
        }));
        var app = builder.Build();
        var server = new FakeJoinServer(app, authority);
        app.Run(server.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken).DefaultTimeout();
        server.Url = app.Urls.Single().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
        return server;
    }

    /// <summary>Whether any request carried <paramref name="text"/> anywhere in its body.</summary>
    public bool Received(string text) =>
        Requests.Any(r => r.Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0);

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        Requests.Enqueue((context.Request.Path.Value ?? "", body.ToArray()));
        context.Response.ContentType = "application/grpc";
        if (context.Request.Path == "/hostdaemons.v1.JoinService/GetClusterCa")
        {
            // GetClusterCaResponse { ca_bundle_pem = 1 } in a gRPC frame: no compression flag, then the length.
            var message = GetClusterCaResponse(_authority.CertificatePem);
            var frame = new byte[5 + message.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
            message.CopyTo(frame, 5);
            await context.Response.Body.WriteAsync(frame, context.RequestAborted);
            context.Response.AppendTrailer("grpc-status", "0");
        }
        else
        {
            context.Response.AppendTrailer("grpc-status", "12");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _authority.Dispose();
    }

    private static byte[] GetClusterCaResponse(string pem)
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(pem);
        }

        return stream.ToArray();
    }
}
