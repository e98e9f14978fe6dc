using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using HostDaemons.Agent.Joining;
using HostDaemons.ControlPlane.Joining;
using HostDaemons.IntegrationTests.Infrastructure;
using HostDaemons.Model.Security;
using Microsoft.Extensions.DependencyInjection;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Joining over TLS with real control planes on loopback: the CA pin protects the token, tokens are checked, the CA
/// builds node certificates itself, names stay bound to keys, guessing is slowed and audited, and the agent joins,
/// renews under a running watch, is cut off when its node is deleted, and rejoins after its certificate expired.
/// </summary>
public sealed class JoinTests : IDisposable
{
    private const string JoinService = "hostdaemons.v1.JoinService";

    private readonly TempDirectory _directory = new("hd-join");

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Docker)]
    public async Task Agent_ServerWithAnotherCa_StopsWithoutSendingTheToken()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var token = await CreateTokenAsync(controlPlane);
        await using var stranger = await FakeJoinServer.StartAsync();
        var stateDir = _directory.Combine("agent");
        await using var agent = new AgentProcess(stranger.Url, "pinned-" + Suffix(), stateDir, _directory.Combine("manifests"), ["--join-token-file", TokenFile(token)]);

        agent.Start();
        var exitCode = await agent.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode != 0, agent.Output);
        Assert.Contains("the token was not sent", agent.Output, StringComparison.Ordinal);
        Assert.Contains(stranger.Requests, r => r.Path == $"/{JoinService}/GetClusterCa");
        Assert.DoesNotContain(stranger.Requests, r => r.Path.EndsWith("/Join", StringComparison.Ordinal));
        Assert.False(stranger.Received(token.Secret), "the stranger received the token's secret");
        Assert.False(File.Exists(Path.Combine(stateDir, "pki", "node.crt")));
    }

    [Fact]
    public async Task Join_ExpiredDeletedAndBoundToAnotherName_Refused_ListNeverShowsSecrets()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var hdctl = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        var expiring = await CreateTokenAsync(controlPlane, "--ttl", "1s", "--description", "short lived");
        var deleted = await CreateTokenAsync(controlPlane);
        var bound = await CreateTokenAsync(controlPlane, "--node-name", "web-01");
        var list = await hdctl.RunAsync("token", "list");
        var delete = await hdctl.RunAsync("token", "delete", deleted.Id);
        Assert.Equal((0, $"bootstrap token \"{deleted.Id}\" deleted\n"), (delete.ExitCode, delete.Output));
        Assert.Null((await hdctl.RunAsync("token", "list")).Row(deleted.Id));
        await AsyncTestHelpers.WaitUntilAsync(async () => (await hdctl.RunAsync("token", "list")).Row(expiring.Id)?[1] == "<expired>", "the 1s token to expire");
        var authority = await PinnedAuthorityAsync(controlPlane, expiring);

        var expired = await RefusedAsync(controlPlane, authority, expiring, "web-02");
        var gone = await RefusedAsync(controlPlane, authority, deleted, "web-02");
        var otherName = await RefusedAsync(controlPlane, authority, bound, "web-02");

        Assert.Equal(["ID", "TTL", "EXPIRES", "NODE", "NAME", "USAGES", "DESCRIPTION"], list.Output.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("web-01", list.Row(bound.Id)![3]);
        Assert.Contains("authentication", list.Row(bound.Id)!);
        Assert.DoesNotContain(expiring.Secret, list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(bound.Secret, list.Output, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, expired.StatusCode);
        Assert.Contains("expired", expired.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, gone.StatusCode);
        Assert.Contains("does not exist", gone.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.PermissionDenied, otherName.StatusCode);
        Assert.Contains("joins only node \"web-01\"", otherName.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_GreedyRequest_GetsOnlyANodeCertificate_BadRequestsAndASecondHostWithTheNameRefused()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var token = await CreateTokenAsync(controlPlane);
        var authority = await PinnedAuthorityAsync(controlPlane, token);
        using var rsa = RSA.Create(2048);
        using var weak = RSA.Create(1024);
        using var secondHost = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var thirdHost = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var issued = await JoinClient.JoinAsync(new Uri(controlPlane.Url), authority, token.ToString(), GreedyRequest(rsa), "web-01", TestContext.Current.CancellationToken);
        var badSignature = await Assert.ThrowsAsync<RpcException>(() =>
            JoinClient.JoinAsync(new Uri(controlPlane.Url), authority, token.ToString(), BrokenSignature(NodeKeys.CertificateRequest(secondHost, "web-02")), "web-02", TestContext.Current.CancellationToken));
        var tooWeak = await Assert.ThrowsAsync<RpcException>(() =>
            JoinClient.JoinAsync(new Uri(controlPlane.Url), authority, token.ToString(), GreedyRequest(weak), "web-02", TestContext.Current.CancellationToken));
        var inUse = await Assert.ThrowsAsync<RpcException>(() =>
            JoinClient.JoinAsync(new Uri(controlPlane.Url), authority, token.ToString(), NodeKeys.CertificateRequest(secondHost, "web-01"), "web-01", TestContext.Current.CancellationToken));
        var reset = await Hdctl.WithKubeconfig(controlPlane.AdminConf).RunAsync("node", "reset-identity", "web-01");
        var afterReset = await JoinClient.JoinAsync(new Uri(controlPlane.Url), authority, token.ToString(), NodeKeys.CertificateRequest(thirdHost, "web-01"), "web-01", TestContext.Current.CancellationToken);

        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
        Assert.Equal("CN=system:node:web-01, O=system:nodes", certificate.Subject);
        Assert.Empty(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.Equal((StatusCode.InvalidArgument, StatusCode.InvalidArgument), (badSignature.StatusCode, tooWeak.StatusCode));
        Assert.Contains("1024 bits is too weak", tooWeak.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.AlreadyExists, inUse.StatusCode);
        Assert.Contains("node name \"web-01\" already in use", inUse.Status.Detail, StringComparison.Ordinal);
        Assert.Equal((0, "node/web-01 identity reset\n"), (reset.ExitCode, reset.Output));
        using var rejoined = X509Certificate2.CreateFromPem(afterReset.CertificatePem);
        Assert.Equal(thirdHost.ExportSubjectPublicKeyInfo(), rejoined.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task Join_ThousandWrongSecrets_RateLimitedAndAudited_TheValidTokenStillJoins()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var token = await CreateTokenAsync(controlPlane);
        var wrong = token with { Secret = new string('x', JoinToken.SecretLength) };
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = JoinRequest(wrong.ToString(), NodeKeys.CertificateRequest(key, "web-01"), "web-01");
        using var channel = TestPki.Channel(controlPlane.Url, TestPki.Authorities(controlPlane), client: null);
        var codes = new List<StatusCode>();

        for (var i = 0; i < 1000; i++)
        {
            codes.Add((await Assert.ThrowsAsync<RpcException>(() => RawGrpc.UnaryAsync(channel, JoinService, "Join", request))).StatusCode);
        }

        var authority = await PinnedAuthorityAsync(controlPlane, token);
        IssuedCredentials? joined = null;
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            try
            {
                joined = await JoinClient.JoinAsync(new Uri(controlPlane.Url), authority, token.ToString(), NodeKeys.CertificateRequest(key, "web-01"), "web-01",
                    TestContext.Current.CancellationToken);
                return true;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                return false;
            }
        }, "the valid token to join once the source's bucket refills");

        Assert.NotNull(joined);
        Assert.Equal(1000, codes.Count(c => c is StatusCode.Unauthenticated or StatusCode.ResourceExhausted));
        Assert.InRange(codes.Count(c => c == StatusCode.ResourceExhausted), 800, 1000 - JoinRateLimiter.Burst);
        var audit = controlPlane.Logs.GetSnapshot().Where(r => r.Message.StartsWith("Audit: join", StringComparison.Ordinal)).ToList();
        Assert.True(audit.Count >= 1000, $"{audit.Count} audit records");
        Assert.Contains(audit, r => r.Message.Contains($"wrong secret for join token {token.Id}", StringComparison.Ordinal));
        Assert.DoesNotContain(controlPlane.Logs.GetSnapshot(), r => r.Message.Contains(token.Secret, StringComparison.Ordinal));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Docker)]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Agent_JoinsWithTokenFile_RenewsUnderItsWatch_SameContainersNewSerial()
    {
        var node = "renew-" + Suffix();
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"), nodeCertificateValidity: TimeSpan.FromSeconds(30));
        var token = await CreateTokenAsync(controlPlane);
        using var docker = new DockerProbe();
        var stateDir = _directory.Combine("agent");
        await using var agent = await TestAgent.StartAsync(controlPlane.Url, node, stateDir, _directory.Combine("manifests"), extraArgs: ["--join-token-file", TokenFile(token)]);
        try
        {
            var hdctl = Hdctl.WithKubeconfig(controlPlane.AdminConf);
            await WaitReadyAsync(hdctl, node);
            var pki = Path.Combine(stateDir, "pki");
            using var joined = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "node.crt")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(pki, "node.key")));
            Assert.Equal(TestPki.Authorities(controlPlane)[0].Thumbprint, X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "ca.crt"))).Thumbprint);
            Assert.Equal(0, (await hdctl.RunWithInputAsync(TestManifests.Daemon("renewal"), "apply", "-f", "-")).ExitCode);
            await AsyncTestHelpers.WaitUntilAsync(async () => (await docker.RunningAsync(node)).Count == 1, "the daemon to run");
            var container = (await docker.RunningAsync(node)).Single().ID;

            await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(Serial(pki) != joined.SerialNumber), "the agent to renew its certificate",
                TimeSpan.FromSeconds(60));
            // Past the first certificate's end, the node still talks to the control plane: its connections present the new one.
            await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(DateTime.UtcNow > joined.NotAfter.ToUniversalTime().AddSeconds(3)), "the first certificate to expire",
                TimeSpan.FromSeconds(60));
            await WaitReadyAsync(hdctl, node);

            Assert.Equal([container], (await docker.RunningAsync(node)).Select(c => c.ID));
            Assert.Equal("0", (await hdctl.RunAsync("get", "pods")).Output.Split('\n').Skip(1).First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]);
            Assert.DoesNotContain(controlPlane.Logs.GetSnapshot(), r => r.Message.Contains("certificate has expired", StringComparison.Ordinal));
            Assert.Contains(controlPlane.Logs.GetSnapshot(), r => r.Message.StartsWith($"Node {node} renewed its certificate", StringComparison.Ordinal));
        }
        finally
        {
            await agent.StopAsync();
            await docker.RemoveAllAsync([node]);
        }
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Docker)]
    public async Task DeleteNode_AgentsStreamsCloseWithinOneSecond_AndItCannotReconnect()
    {
        var node = "revoked-" + Suffix();
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var token = await CreateTokenAsync(controlPlane);
        using var docker = new DockerProbe();
        await using var agent = await TestAgent.StartAsync(controlPlane.Url, node, _directory.Combine("agent"), _directory.Combine("manifests"), extraArgs: ["--join-token-file", TokenFile(token)]);
        try
        {
            var hdctl = Hdctl.WithKubeconfig(controlPlane.AdminConf);
            await WaitReadyAsync(hdctl, node);
            var calls = controlPlane.Services.GetRequiredService<NodeCalls>();
            await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(calls.Count(node) >= 2), "the agent's pod watch and request stream to be open");

            var delete = await hdctl.RunAsync("delete", "node", node);
            var deleted = Stopwatch.StartNew();
            await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(calls.Count(node) == 0), "the node's calls to end", TimeSpan.FromSeconds(1));
            var closedAfter = deleted.Elapsed;
            await AsyncTestHelpers.WaitUntilAsync(
                () => Task.FromResult(controlPlane.Logs.GetSnapshot().Any(r => r.Message.Contains("certificate has been revoked", StringComparison.Ordinal))),
                "the agent's next call to be refused as revoked");

            Assert.Equal(0, delete.ExitCode);
            Assert.True(closedAfter < TimeSpan.FromSeconds(1), $"closed after {closedAfter}");
            Assert.Equal(1, (await hdctl.RunAsync("get", "node", node)).ExitCode);
            Assert.Equal(0, calls.Count(node));
        }
        finally
        {
            await agent.StopAsync();
            await docker.RemoveAllAsync([node]);
        }
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Docker)]
    public async Task CertificateExpiresWhileTheControlPlaneIsAway_ContainersKeepRunning_AgentRejoinsWithItsTokenFile()
    {
        var node = "expired-" + Suffix();
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"), nodeCertificateValidity: TimeSpan.FromSeconds(20));
        var token = await CreateTokenAsync(controlPlane);
        using var docker = new DockerProbe();
        var stateDir = _directory.Combine("agent");
        var pki = Path.Combine(stateDir, "pki");
        await using var agent = await TestAgent.StartAsync(controlPlane.Url, node, stateDir, _directory.Combine("manifests"), extraArgs: ["--join-token-file", TokenFile(token)]);
        try
        {
            var hdctl = Hdctl.WithKubeconfig(controlPlane.AdminConf);
            await WaitReadyAsync(hdctl, node);
            Assert.Equal(0, (await hdctl.RunWithInputAsync(TestManifests.Daemon("expiry"), "apply", "-f", "-")).ExitCode);
            await AsyncTestHelpers.WaitUntilAsync(async () => (await docker.RunningAsync(node)).Count == 1, "the daemon to run");
            var container = (await docker.RunningAsync(node)).Single().ID;

            await controlPlane.StopAsync();
            await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(DateTime.UtcNow > NotAfter(pki).AddSeconds(1)), "the node certificate to expire", TimeSpan.FromSeconds(60));
            var expiredSerial = Serial(pki);
            Assert.Equal([container], (await docker.RunningAsync(node)).Select(c => c.ID));
            await controlPlane.StartAsync();

            await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(Serial(pki) != expiredSerial && DateTime.UtcNow < NotAfter(pki)), "the agent to join again",
                TimeSpan.FromSeconds(60));
            await WaitReadyAsync(hdctl, node);
            Assert.Equal([container], (await docker.RunningAsync(node)).Select(c => c.ID));
        }
        finally
        {
            await agent.StopAsync();
            await docker.RemoveAllAsync([node]);
        }
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    private static string Serial(string pki)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "node.crt")));
        return certificate.SerialNumber;
    }

    private static DateTime NotAfter(string pki)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "node.crt")));
        return certificate.NotAfter.ToUniversalTime();
    }

    private static Task WaitReadyAsync(Hdctl hdctl, string node) =>
        AsyncTestHelpers.WaitUntilAsync(async () => (await hdctl.RunAsync("get", "node", node)).Row(node)?[1] == "Ready", $"node {node} to be Ready over TLS");

    private static async Task<JoinToken> CreateTokenAsync(TestControlPlane controlPlane, params string[] flags)
    {
        var result = await Hdctl.WithKubeconfig(controlPlane.AdminConf).RunAsync(["token", "create", .. flags]);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(JoinToken.TryParse(result.Output, out var token, out var error), error);
        return token;
    }

    private string TokenFile(JoinToken token)
    {
        var path = _directory.Combine("token-" + token.Id);
        File.WriteAllText(path, token + "\n");
        return path;
    }

    private static async Task<X509Certificate2> PinnedAuthorityAsync(TestControlPlane controlPlane, JoinToken token) =>
        (await JoinClient.FetchClusterCaAsync(new Uri(controlPlane.Url), TestContext.Current.CancellationToken)).Single(c => CaPin.Matches(c, token.CaPin));

    private static async Task<RpcException> RefusedAsync(TestControlPlane controlPlane, X509Certificate2 authority, JoinToken token, string nodeName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return await Assert.ThrowsAsync<RpcException>(() =>
            JoinClient.JoinAsync(new Uri(controlPlane.Url), authority, token.ToString(), NodeKeys.CertificateRequest(key, nodeName), nodeName, TestContext.Current.CancellationToken));
    }

    /// <summary>A request for <paramref name="key"/> asking for another node's name, SANs, serverAuth and CA:TRUE.</summary>
    private static byte[] GreedyRequest(RSA key)
    {
        var request = new CertificateRequest("CN=system:node:someone-else, O=system:masters", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("controlplane.example");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSigningRequest();
    }

    private static byte[] BrokenSignature(byte[] request)
    {
        var copy = (byte[])request.Clone();
        copy[^1] ^= 0x5A;
        return copy;
    }

    /// <summary>JoinRequest { token = 1, certificate_request = 2, node_name = 3 }, encoded by hand (the generated type is in three assemblies).</summary>
    private static byte[] JoinRequest(string token, byte[] certificateRequest, string nodeName)
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(token);
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(certificateRequest));
            output.WriteTag(3, WireFormat.WireType.LengthDelimited);
            output.WriteString(nodeName);
        }

        return stream.ToArray();
    }

    public void Dispose() => _directory.Dispose();
}
