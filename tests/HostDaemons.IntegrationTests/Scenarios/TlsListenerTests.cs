using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// The https:// listener as a stranger meets it: no certificate, a certificate from another CA, or plaintext gets
/// nothing; a plaintext listener on a network address is refused at start; the serving certificate is replaced at run
/// time without dropping an open stream.
/// </summary>
public sealed class TlsListenerTests : IDisposable
{
    private const string AdminService = "hostdaemons.v1.AdminService";
    private const string NodeService = "hostdaemons.v1.NodeService";

    /// <summary>A ListRequest for nodes: field 1 (kind) = RESOURCE_KIND_NODE.</summary>
    private static readonly byte[] s_listNodes = [0x08, 0x03];

    /// <summary>A WatchRequest for namespaces: field 1 (kind) = RESOURCE_KIND_NAMESPACE.</summary>
    private static readonly byte[] s_watchNamespaces = [0x08, 0x06];

    private readonly TempDirectory _directory = new("hd-tls");

    [Fact]
    public async Task NoClientCertificate_AdminAndNodeCalls_AreUnauthenticated()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        using var channel = TestPki.Channel(controlPlane.Url, TestPki.Authorities(controlPlane), client: null);

        var admin = await Assert.ThrowsAsync<RpcException>(() => RawGrpc.UnaryAsync(channel, AdminService, "List", s_listNodes));
        var node = await Assert.ThrowsAsync<RpcException>(() => RawGrpc.UnaryAsync(channel, NodeService, "Heartbeat"));

        Assert.Equal((StatusCode.Unauthenticated, StatusCode.Unauthenticated), (admin.StatusCode, node.StatusCode));
        Assert.Contains("needs a client certificate issued by the cluster CA", admin.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateFromAnotherCa_ClaimingAdministrator_HandshakeRefused()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        using var stranger = TestPki.StrangerAdministrator();
        using var channel = TestPki.Channel(controlPlane.Url, TestPki.Authorities(controlPlane), stranger);

        var refused = await Assert.ThrowsAsync<RpcException>(() => RawGrpc.UnaryAsync(channel, AdminService, "List", s_listNodes));

        // The connection dies in the handshake: no call reaches the interceptor, so it is not even Unauthenticated.
        Assert.Contains(refused.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }

    [Fact]
    public async Task PlaintextClient_HttpsListener_Refused()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var plaintextUrl = $"http://127.0.0.1:{controlPlane.Port}";
        using var channel = GrpcChannel.ForAddress(plaintextUrl);

        var refused = await Assert.ThrowsAsync<RpcException>(() => RawGrpc.UnaryAsync(channel, AdminService, "List", s_listNodes));
        var hdctl = await new Hdctl(plaintextUrl).RunAsync("get", "nodes");

        Assert.Contains(refused.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Equal((1, ""), (hdctl.ExitCode, hdctl.Output));
    }

    [Fact]
    public async Task ListenPlaintextOnEveryAddress_ControlPlaneRefusesToStartAndSaysWhy()
    {
        var dataDir = _directory.Combine("refused");
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "hostdaemons-controlplane"),
            ["--listen", "http://0.0.0.0:7070", "--data-dir", dataDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);

        await process.WaitForExitAsync(TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(2, process.ExitCode);
        var message = await error.DefaultTimeout();
        Assert.Contains("refusing to serve plaintext http:// on 0.0.0.0", message, StringComparison.Ordinal);
        Assert.Contains("use --listen https://0.0.0.0:7070", message, StringComparison.Ordinal);
        Assert.Equal("", await output.DefaultTimeout());
        Assert.False(Directory.Exists(Path.Combine(dataDir, "pki")), "nothing is created for a listener that is refused");
    }

    [Fact]
    public async Task ServingCertificateRenewed_OpenStreamContinues_NewHandshakeSeesNewSerial()
    {
        // Renewed at two thirds of its life: 10 s after start, then every 10 s.
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"), servingCertificateValidity: TimeSpan.FromSeconds(15));
        var connections = new StrongBox<int>();
        using var admin = TestPki.IssueAdministrator(controlPlane);
        using var channel = TestPki.Channel(controlPlane.Url, TestPki.Authorities(controlPlane), admin, connections);
        var first = await TestPki.ServingSerialAsync(controlPlane);
        // A call opens the channel's one connection; the watch then runs on it (a watch sends nothing until an event).
        await RawGrpc.UnaryAsync(channel, AdminService, "List", s_listNodes);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var watch = RawGrpc.ServerStreaming(channel, AdminService, "Watch", s_watchNamespaces, stop.Token);
        var events = new ConcurrentQueue<string>();
        var reading = ReadAllAsync(watch.ResponseStream, events, stop.Token);
        Assert.True(await TestPki.ServingSerialAsync(controlPlane) == first, "the connection must be opened before the renewal for this test to mean anything");

        await AsyncTestHelpers.WaitUntilAsync(async () => await TestPki.ServingSerialAsync(controlPlane) != first,
            "a new handshake to be shown a renewed serving certificate");
        // A new connection (hdctl's) verifies the renewed certificate against the cluster CA and the address it dialled.
        var created = await Hdctl.WithKubeconfig(controlPlane.AdminConf)
            .RunWithInputAsync("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: after-renewal\n", "apply", "-f", "-");

        Assert.True(created.ExitCode == 0, created.Error);
        await AsyncTestHelpers.WaitUntilAsync(() => events.Any(e => e.Contains("after-renewal", StringComparison.Ordinal)),
            "the watch opened before the renewal to deliver the namespace created after it");
        Assert.False(reading.IsCompleted, "the watch is still open");
        Assert.Equal(1, connections.Value);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => reading).DefaultTimeout();
    }

    public void Dispose() => _directory.Dispose();

    private static async Task ReadAllAsync(IAsyncStreamReader<byte[]> stream, ConcurrentQueue<string> events, CancellationToken cancellationToken)
    {
        while (await stream.MoveNext(cancellationToken))
        {
            events.Enqueue(Encoding.UTF8.GetString(stream.Current));
        }
    }
}
