using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Security;
using Microsoft.Extensions.DependencyInjection;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>
/// Certificates and TLS connections for tests against a control plane over https://. Node certificates are issued
/// with the control plane's own CA (what the join will do, and what an administrator holding <c>pki/ca.key</c> can
/// do until then); a stranger's CA is made here.
/// </summary>
internal static class TestPki
{
    /// <summary>Issues <c>system:node:NAME</c> a certificate and writes <c>ca.crt</c>, <c>node.crt</c> and <c>node.key</c> where the agent looks: <c>STATE-DIR/pki</c>.</summary>
    [SupportedOSPlatform("linux")]
    public static void WriteNodeFiles(TestControlPlane controlPlane, string nodeName, string stateDir)
    {
        using var certificate = IssueNode(controlPlane, nodeName);
        using var key = certificate.GetECDsaPrivateKey()!;
        var directory = Path.Combine(stateDir, "pki");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "ca.crt"), Pki(controlPlane).CaBundlePem);
        File.WriteAllText(Path.Combine(directory, "node.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "node.key"), key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(Path.Combine(directory, "node.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>A node's client certificate with its private key, issued by the control plane's CA.</summary>
    public static X509Certificate2 IssueNode(TestControlPlane controlPlane, string nodeName) => Issue(Pki(controlPlane).Authority, ClientSubject.Node(nodeName));

    /// <summary>An administrator's client certificate (<c>CN=admin, O=system:masters</c>), as in <c>admin.conf</c>.</summary>
    public static X509Certificate2 IssueAdministrator(TestControlPlane controlPlane) => Issue(Pki(controlPlane).Authority, ClientSubject.Administrator);

    public static X509Certificate2Collection Authorities(TestControlPlane controlPlane) => CertificateTrust.ReadBundle(Pki(controlPlane).CaBundlePem);

    /// <summary>A kubeconfig with these credentials, written next to the control plane's data.</summary>
    public static string WriteKubeconfig(TestControlPlane controlPlane, string name, X509Certificate2 client)
    {
        using var key = client.GetECDsaPrivateKey()!;
        var path = Path.Combine(controlPlane.DataDir, name);
        File.WriteAllText(path, AdminKubeconfig.Render(controlPlane.Url, Pki(controlPlane).CaBundlePem, client.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem()));
        return path;
    }

    /// <summary>A CA the control plane has never seen, and a certificate it issued that claims to be the administrator.</summary>
    public static X509Certificate2 StrangerAdministrator()
    {
        using var authority = CertificateAuthority.Create(DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        return Issue(authority, ClientSubject.Administrator);
    }

    /// <summary>
    /// A gRPC channel over TLS to the control plane that trusts <paramref name="authorities"/> and presents
    /// <paramref name="client"/> (none when null); <paramref name="connections"/> counts the TCP connections it opens.
    /// </summary>
    public static GrpcChannel Channel(string url, X509Certificate2Collection authorities, X509Certificate2? client, StrongBox<int>? connections = null)
    {
        var trust = new ClusterServerTrust(authorities);
        var ssl = new SslClientAuthenticationOptions { ClientCertificates = client is null ? null : [client] };
        trust.Apply(ssl);
        var handler = new SocketsHttpHandler { SslOptions = ssl };
        if (connections is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connections.Value);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }

        return GrpcChannel.ForAddress(url, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>The serial number of the certificate a new TLS handshake with the control plane is shown (which must chain to its CA and name 127.0.0.1).</summary>
    public static async Task<string> ServingSerialAsync(TestControlPlane controlPlane)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, controlPlane.Port, TestContext.Current.CancellationToken);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", ApplicationProtocols = [SslApplicationProtocol.Http2] };
        new ClusterServerTrust(Authorities(controlPlane)).Apply(options);
        await tls.AuthenticateAsClientAsync(options, TestContext.Current.CancellationToken);
        using var certificate = X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData());
        return certificate.SerialNumber;
    }

    private static X509Certificate2 Issue(CertificateAuthority authority, ClientSubject subject) =>
        authority.IssueClientWithNewKey(subject, DateTimeOffset.UtcNow, TimeSpan.FromDays(1));

    private static ClusterPki Pki(TestControlPlane controlPlane) => controlPlane.Services.GetRequiredService<ClusterPki>();
}
