using System.Net;
using System.Net.Sockets;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>
/// One benchmark run: its unique prefix (node names, container labels), its scratch directory (data, state, manifests,
/// logs), the control plane and agents it started as child processes, and the clean-up of all of it.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    private readonly List<ChildProcess> _agents = [];
    private bool _failed;

    private Cluster(string prefix, string root, bool tls)
    {
        Prefix = prefix;
        Root = root;
        Tls = tls;
    }

    /// <summary><c>bench-</c> and six random characters: node names and labels of this run only.</summary>
    public string Prefix { get; }

    public string Root { get; }

    public int Port { get; private set; }

    /// <summary>
    /// Whether the control plane listens on https:// (its CA, the bench's administrator and the agents' client
    /// certificates in <see cref="Pki"/>) rather than the plaintext development mode.
    /// </summary>
    public bool Tls { get; }

    public string Url => $"{(Tls ? "https" : "http")}://127.0.0.1:{Port}";

    /// <summary>Over TLS, once the control plane has started: the cluster CA, which issues the bench's certificates.</summary>
    public BenchPki? Pki { get; private set; }

    public ChildProcess? ControlPlane { get; private set; }

    public AdminApi Admin { get; private set; } = null!;

    public IReadOnlyList<ChildProcess> Agents => _agents;

    public static Cluster Create(bool tls = false)
    {
        var prefix = "bench-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..6];
        var root = Path.Combine(Path.GetTempPath(), "hostdaemons-" + prefix);
        Directory.CreateDirectory(root);
        return new Cluster(prefix, root, tls);
    }

    public void MarkFailed() => _failed = true;

    public string Dir(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Starts the control plane (or starts it again, on the same port and data) and waits until it answers.</summary>
    public async Task<ChildProcess> StartControlPlaneAsync(CancellationToken cancellationToken, params string[] extraArgs)
    {
        if (Port == 0)
        {
            Port = FreePort();
        }

        string[] args = ["--listen", Url, "--data-dir", Dir("controlplane"), .. extraArgs];
        var process = ChildProcess.Start(ChildProcess.BinaryPath("hostdaemons-controlplane"), args, Path.Combine(Root, "controlplane.log"));
        ControlPlane = process;
        if (Tls && Pki is null)
        {
            Pki = await BenchPki.LoadAsync(Dir("controlplane"), process, cancellationToken);
            Admin = new AdminApi(Url, Pki.ClientOptions(Pki.IssueAdministrator()));
        }

        Admin ??= new AdminApi(Url);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (!await Admin.ReadyAsync(cancellationToken))
        {
            process.ThrowIfExited("the control plane");
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new BenchFailedException($"the control plane did not answer within 60 s; its log: {process.LogFile}");
            }

            await Task.Delay(50, cancellationToken);
        }

        return process;
    }

    /// <summary>Starts a real agent for <paramref name="node"/> and waits until its node is registered and Ready.</summary>
    public async Task<ChildProcess> StartAgentAsync(string node, CancellationToken cancellationToken, string? labels = null, string? manifestDir = null, string? executable = null)
    {
        var stateDir = Dir("state-" + node);
        Pki?.WriteNodeFiles(node, stateDir);
        List<string> args =
        [
            "--server", Url, "--node-name", node, "--state-dir", stateDir,
            "--manifest-dir", manifestDir ?? Dir("manifests-" + node),
        ];
        if (labels is not null)
        {
            args.AddRange(["--node-labels", labels]);
        }

        var process = ChildProcess.Start(executable ?? ChildProcess.BinaryPath("hostdaemons-agent"), args, Path.Combine(Root, node + ".log"));
        _agents.Add(process);
        await WaitNodeReadyAsync(node, process, cancellationToken);
        return process;
    }

    public async Task WaitNodeReadyAsync(string node, ChildProcess process, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var found = await Admin.GetNodeAsync(node, cancellationToken);
            if (found?.Status?.Conditions.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            {
                return;
            }

            process.ThrowIfExited($"the agent {node}");
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new BenchFailedException($"node {node} was not Ready within 60 s; its log: {process.LogFile}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken, int pollMs = 10)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new BenchFailedException($"timed out after {timeout.TotalSeconds:0}s waiting for {what}");
            }

            await Task.Delay(pollMs, cancellationToken);
        }
    }

    /// <summary>
    /// A run against the real engine: a control plane, the engine's events watched, then <paramref name="body"/>. A
    /// failed run keeps its scratch data; every run stops its agents and removes the containers it made.
    /// </summary>
    public static async Task RunWithEngineAsync(Func<Cluster, DockerEngine, ChildProcess, Task> body, CancellationToken cancellationToken, bool tls = false)
    {
        await using var cluster = Create(tls);
        await using var docker = new DockerEngine(cluster.Prefix);
        try
        {
            await docker.StartAsync(cancellationToken);
            var controlPlane = await cluster.StartControlPlaneAsync(cancellationToken);
            await body(cluster, docker, controlPlane);
        }
        catch
        {
            cluster.MarkFailed();
            throw;
        }
        finally
        {
            await cluster.StopAgentsAsync();
            await docker.CleanUpAsync();
        }
    }

    /// <summary>Stops the agents (their containers stay), so a clean-up does not race them.</summary>
    public async Task StopAgentsAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        if (ControlPlane is not null)
        {
            await ControlPlane.DisposeAsync();
        }

        Admin?.Dispose();
        Pki?.Dispose();
        if (_failed || Environment.GetEnvironmentVariable("BENCH_KEEP") == "1")
        {
            Console.Error.WriteLine($"logs kept in {Root}");
        }
        else
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
