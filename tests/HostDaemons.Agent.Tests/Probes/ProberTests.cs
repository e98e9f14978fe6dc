using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Probes;

/// <summary>The real probers against loopback servers (and the fake engine for exec): what passes and what fails.</summary>
public sealed class ProberTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeContainerRuntime _runtime;
    private readonly Prober _prober;

    public ProberTests()
    {
        _runtime = new FakeContainerRuntime(_time);
        _prober = new Prober(_runtime, _time);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TcpSocket_PortListening_Success()
    {
        using var listener = new TcpListenerLease();

        var outcome = await ProbeAsync(Tcp(listener.Port));

        Assert.Equal(ProbeResult.Success, outcome.Result);
    }

    [Fact]
    public async Task TcpSocket_NothingListening_FailureSaysWhere()
    {
        var port = FreePort();

        var outcome = await ProbeAsync(Tcp(port));

        Assert.Equal(ProbeResult.Failure, outcome.Result);
        Assert.StartsWith($"dial tcp 127.0.0.1:{port}: ", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TcpSocket_NamedPort_UsesTheContainerPort()
    {
        using var listener = new TcpListenerLease();
        var probe = new Probe { TcpSocket = new TCPSocketAction { Port = new IntOrString { StringValue = "metrics" } }, TimeoutSeconds = 1 };

        var outcome = await ProbeAsync(probe, c => c.Ports.Add(new ContainerPort { Name = "metrics", ContainerPort_ = listener.Port }));

        Assert.Equal(ProbeResult.Success, outcome.Result);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(204, true)]
    [InlineData(304, true)]
    [InlineData(399, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(503, false)]
    public async Task HttpGet_Status_PassesFrom200To399(int status, bool passes)
    {
        await using var server = new TinyHttpServer(_ => TinyHttpServer.Response(status));

        var outcome = await ProbeAsync(Http(server.Port));

        Assert.Equal(passes ? ProbeResult.Success : ProbeResult.Failure, outcome.Result);
        if (!passes)
        {
            Assert.Equal($"HTTP probe failed with statuscode: {status}", outcome.Message);
        }
    }

    [Fact]
    public async Task HttpGet_Request_SendsThePathAndTheKubeletsHeaders()
    {
        await using var server = new TinyHttpServer(_ => TinyHttpServer.Response(200));
        var probe = Http(server.Port, "/healthz?verbose=1");
        probe.HttpGet.HttpHeaders.Add(new HTTPHeader { Name = "X-Probe", Value = "a" });
        probe.HttpGet.HttpHeaders.Add(new HTTPHeader { Name = "X-Probe", Value = "b" });

        await ProbeAsync(probe);

        var request = Assert.Single(server.Requests);
        Assert.StartsWith("GET /healthz?verbose=1 HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains($"Host: 127.0.0.1:{server.Port}\r\n", request, StringComparison.Ordinal);
        Assert.Contains("User-Agent: kube-probe/1.33\r\n", request, StringComparison.Ordinal);
        Assert.Contains("Accept: */*\r\n", request, StringComparison.Ordinal);
        Assert.Contains("X-Probe: a, b\r\n", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpGet_ProbeHeaders_ReplaceHostUserAgentAndAccept()
    {
        await using var server = new TinyHttpServer(_ => TinyHttpServer.Response(200));
        var probe = Http(server.Port);
        probe.HttpGet.HttpHeaders.Add(new HTTPHeader { Name = "Host", Value = "example.internal" });
        probe.HttpGet.HttpHeaders.Add(new HTTPHeader { Name = "user-agent", Value = "mine/1" });
        probe.HttpGet.HttpHeaders.Add(new HTTPHeader { Name = "Accept", Value = "application/json" });

        await ProbeAsync(probe);

        var request = Assert.Single(server.Requests);
        Assert.Contains("Host: example.internal\r\n", request, StringComparison.Ordinal);
        Assert.Contains("mine/1", request, StringComparison.Ordinal);
        Assert.DoesNotContain("kube-probe", request, StringComparison.Ordinal);
        Assert.Contains("application/json", request, StringComparison.Ordinal);
        Assert.DoesNotContain("*/*", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpGet_RedirectOnTheSameHost_FollowedToItsAnswer()
    {
        await using var server = new TinyHttpServer(request => TinyHttpServer.PathOf(request) == "/" ? TinyHttpServer.Response(302, "/down") : TinyHttpServer.Response(500));

        var outcome = await ProbeAsync(Http(server.Port));

        Assert.Equal(ProbeResult.Failure, outcome.Result);
        Assert.Equal(["/", "/down"], server.Requests.Select(TinyHttpServer.PathOf));
    }

    [Fact]
    public async Task HttpGet_RedirectElsewhere_PassesWithoutFollowing()
    {
        await using var server = new TinyHttpServer(_ => TinyHttpServer.Response(301, "http://192.0.2.1:81/login"));

        var outcome = await ProbeAsync(Http(server.Port));

        Assert.Equal(ProbeResult.Success, outcome.Result);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task HttpGet_EndlessRedirects_FailsAfterTen()
    {
        await using var server = new TinyHttpServer(_ => TinyHttpServer.Response(307, "/again"));

        var outcome = await ProbeAsync(Http(server.Port));

        Assert.Equal(ProbeResult.Failure, outcome.Result);
        Assert.EndsWith("stopped after 10 redirects", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(10, server.Requests.Count);
    }

    [Fact]
    public async Task HttpGet_HttpsWithSelfSignedCertificate_Passes()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        using var certificate = new CertificateRequest("CN=probe-test", key, HashAlgorithmName.SHA256).CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        await using var server = new TinyHttpServer(_ => TinyHttpServer.Response(200), certificate);
        var probe = Http(server.Port);
        probe.HttpGet.Scheme = "HTTPS";

        var outcome = await ProbeAsync(probe);

        Assert.Equal(ProbeResult.Success, outcome.Result);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task HttpGet_NoAnswerWithinTheTimeout_FailsOnTheAgentsClock()
    {
        await using var server = new TinyHttpServer(_ => null);
        var probe = Http(server.Port);
        probe.TimeoutSeconds = 2;

        var probing = _prober.ProbeAsync(ProbeKind.Liveness, probe, Target(hostNetwork: true), Ct);
        await AsyncTestHelpers.WaitUntilAsync(() => server.Requests.Count == 1, "the request to arrive");
        _time.Advance(TimeSpan.FromSeconds(2));
        var outcome = await probing.DefaultTimeout();

        Assert.Equal(ProbeResult.Failure, outcome.Result);
        Assert.Equal($"Get \"http://127.0.0.1:{server.Port}/\": timed out after 2s", outcome.Message);
    }

    [Fact]
    public async Task HttpGet_NothingListening_Fails()
    {
        var outcome = await ProbeAsync(Http(FreePort()));

        Assert.Equal(ProbeResult.Failure, outcome.Result);
        Assert.StartsWith("Get \"http://127.0.0.1:", outcome.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public async Task Exec_ExitCode_ZeroPasses(int exitCode, bool passes)
    {
        var target = SeedRunning();
        IReadOnlyList<string>? ran = null;
        _runtime.ExecHandler = (_, command) =>
        {
            ran = command;
            return new ExecResult(exitCode, "not there\n");
        };

        var outcome = await _prober.ProbeAsync(ProbeKind.Readiness, Exec("test", "-f", "/tmp/ready"), target, Ct);

        Assert.Equal(passes ? ProbeResult.Success : ProbeResult.Failure, outcome.Result);
        Assert.Equal(["test", "-f", "/tmp/ready"], ran);
        if (!passes)
        {
            Assert.Equal("command \"test -f /tmp/ready\" exited with 1: not there", outcome.Message);
        }
    }

    [Fact]
    public async Task Exec_TimedOut_Fails()
    {
        var target = SeedRunning();
        _runtime.ExecHandler = (_, _) => new ExecResult(-1, "", TimedOut: true);

        var outcome = await _prober.ProbeAsync(ProbeKind.Liveness, Exec("sleep", "5"), target, Ct);

        Assert.Equal(ProbeResult.Failure, outcome.Result);
        Assert.Equal("command \"sleep 5\" timed out after 1s", outcome.Message);
    }

    [Fact]
    public async Task Exec_ContainerGone_Fails()
    {
        var outcome = await _prober.ProbeAsync(ProbeKind.Liveness, Exec("true"), Target(hostNetwork: false), Ct);

        Assert.Equal(ProbeResult.Failure, outcome.Result);
        Assert.Contains("No such container", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TcpSocket_PodNetworkThroughItsNamespace_Connects()
    {
        Assert.SkipUnless(Environment.UserName == "root" && OperatingSystem.IsLinux(), "entering a network namespace needs root on Linux");
        using var listener = new TcpListenerLease();

        // This process's own namespace: the same setns path as a container's, with a listener the test controls.
        var outcome = await _prober.ProbeAsync(ProbeKind.Liveness, Tcp(listener.Port), Target(hostNetwork: false, pid: Environment.ProcessId), Ct);

        Assert.Equal(ProbeResult.Success, outcome.Result);
    }

    [Fact]
    public async Task HttpGet_PodNetworkThroughItsNamespace_Passes()
    {
        Assert.SkipUnless(Environment.UserName == "root" && OperatingSystem.IsLinux(), "entering a network namespace needs root on Linux");
        await using var server = new TinyHttpServer(_ => TinyHttpServer.Response(200));

        var outcome = await _prober.ProbeAsync(ProbeKind.Readiness, Http(server.Port), Target(hostNetwork: false, pid: Environment.ProcessId), Ct);

        Assert.Equal(ProbeResult.Success, outcome.Result);
    }

    [Fact]
    public async Task TcpSocket_PodNetworkOfAProcessThatIsGone_Fails()
    {
        var outcome = await _prober.ProbeAsync(ProbeKind.Liveness, Tcp(8080), Target(hostNetwork: false, pid: int.MaxValue), Ct);

        Assert.Equal(ProbeResult.Failure, outcome.Result);
        Assert.Contains($"/proc/{int.MaxValue}/ns/net", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TcpSocket_PodNetworkWithoutProcess_Fails()
    {
        var outcome = await _prober.ProbeAsync(ProbeKind.Liveness, Tcp(8080), Target(hostNetwork: false, pid: 0), Ct);

        Assert.Equal(ProbeResult.Failure, outcome.Result);
        Assert.Contains("no running process", outcome.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8080, null, 8080)]
    [InlineData(null, "http", 9090)]
    [InlineData(null, "7070", 7070)]
    [InlineData(null, "nope", null)]
    [InlineData(0, null, null)]
    public void ResolvePort_NumberOrName_ContainerPortNumber(int? number, string? name, int? expected)
    {
        var container = new Container { Name = "main", Ports = { new ContainerPort { Name = "http", ContainerPort_ = 9090 } } };
        var port = number is { } n ? new IntOrString { IntValue = n } : new IntOrString { StringValue = name };

        Assert.Equal(expected, Prober.ResolvePort(port, container));
    }

    private Task<ProbeOutcome> ProbeAsync(Probe probe, Action<Container>? configure = null) =>
        _prober.ProbeAsync(ProbeKind.Readiness, probe, Target(hostNetwork: true, configure: configure), Ct).DefaultTimeout();

    private ProbeTarget SeedRunning()
    {
        var target = Target(hostNetwork: false);
        _runtime.Seed(target.Instance);
        return target;
    }

    private static ProbeTarget Target(bool hostNetwork, int pid = 4242, Action<Container>? configure = null)
    {
        var container = TestPods.Container();
        configure?.Invoke(container);
        var pod = TestPods.Pod(containers: [container]);
        pod.Spec.HostNetwork = hostNetwork;
        var desired = ContainerSpecBuilder.Build(pod, TestPods.Node).Containers[0];
        return new ProbeTarget(desired, TestPods.Instance(desired, 0, ContainerRunState.Running) with { Pid = pid });
    }

    private static Probe Tcp(int port) => new() { TcpSocket = new TCPSocketAction { Port = new IntOrString { IntValue = port } }, TimeoutSeconds = 1 };

    private static Probe Http(int port, string path = "/") => new()
    {
        HttpGet = new HTTPGetAction { Port = new IntOrString { IntValue = port }, Path = path, Scheme = "HTTP" },
        TimeoutSeconds = 1,
    };

    private static Probe Exec(params string[] command) => new() { Exec = new ExecAction { Command = { command } }, TimeoutSeconds = 1 };

    private static int FreePort()
    {
        using var lease = new TcpListenerLease();
        return lease.Port;
    }

    /// <summary>A loopback listener that accepts connections into its backlog and stops when disposed.</summary>
    private sealed class TcpListenerLease : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public TcpListenerLease() => _listener.Start();

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public void Dispose() => _listener.Stop();
    }
}
