using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// <c>scripts/up</c> as the README uses it: both daemons in the foreground over TLS, the agent joined with a token, the
/// <c>export KUBECONFIG=...</c> line printed for hdctl; Ctrl-C stops them, daemons keep running.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class ScriptsUpTests
{
    private const string Manifest = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: up-smoke
        spec:
          selector:
            matchLabels: {app: up-smoke}
          template:
            metadata:
              labels: {app: up-smoke}
            spec:
              containers:
              - name: main
                image: busybox:latest
                command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"]
        """;

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Up_ThenInterrupt_RunsThisHostAndLeavesDaemonsRunning()
    {
        using var state = new TempDirectory("hd-up");
        var node = "up-" + Guid.NewGuid().ToString("N")[..6];
        var listen = $"https://127.0.0.1:{FreePort()}";
        using var docker = new DockerProbe();
        var start = new ProcessStartInfo("bash", [RepositoryFiles.Path("scripts", "up")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["HOSTDAEMONS_UP_DIR"] = state.Path,
                ["HOSTDAEMONS_LISTEN"] = listen,
                ["HOSTDAEMONS_NODE_NAME"] = node,
                ["HOSTDAEMONS_UP_SKIP_BUILD"] = File.Exists(RepositoryFiles.Path("artifacts", "bin", "hdctl")) ? "1" : "",
            },
        };
        using var up = Process.Start(start)!;
        var output = new List<string>();
        up.OutputDataReceived += (_, e) => Collect(output, e.Data);
        up.ErrorDataReceived += (_, e) => Collect(output, e.Data);
        up.BeginOutputReadLine();
        up.BeginErrorReadLine();
        try
        {
            string? kubeconfig = null;
            await AsyncTestHelpers.WaitUntilAsync(
                () => Task.FromResult((kubeconfig = ExportedKubeconfig(output)) is not null),
                "scripts/up to print the export KUBECONFIG line", TimeSpan.FromSeconds(180), () => Task.FromResult(Describe(output)));
            Assert.Equal(Path.Combine(state.Path, "controlplane", "admin.conf"), kubeconfig);
            var hdctl = Hdctl.WithKubeconfig(kubeconfig!);
            await AsyncTestHelpers.WaitUntilAsync(
                async () => (await hdctl.RunAsync("get", "nodes", node)).Row(node)?[1] == "Ready",
                "the node of this host to be Ready", TimeSpan.FromSeconds(180), () => Task.FromResult(Describe(output)));

            Assert.True(File.Exists(Path.Combine(state.Path, "agent", "pki", "node.crt")), "the agent joined and holds its certificate");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(state.Path, "agent", "join-token")));

            await hdctl.RunWithInputAsync(Manifest, "apply", "-f", "-");
            await AsyncTestHelpers.WaitUntilAsync(async () => (await docker.RunningAsync(node)).Count == 1, "the daemon to run");
            var daemon = (await docker.RunningAsync(node)).Single().ID;

            Interrupt(up);
            await up.WaitForExitAsync(TestContext.Current.CancellationToken).DefaultTimeout(TimeSpan.FromSeconds(30));

            Assert.Equal(0, up.ExitCode);
            Assert.Equal(daemon, (await docker.RunningAsync(node)).Single().ID);
        }
        finally
        {
            if (!up.HasExited)
            {
                up.Kill(entireProcessTree: true);
            }

            await docker.RemoveAllAsync([node]);
        }
    }

    private static string? ExportedKubeconfig(List<string> output)
    {
        const string Prefix = "export KUBECONFIG=";
        lock (output)
        {
            return output.FirstOrDefault(line => line.StartsWith(Prefix, StringComparison.Ordinal))?[Prefix.Length..];
        }
    }

    private static void Interrupt(Process process)
    {
        using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static void Collect(List<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Add(line);
        }
    }

    private static string Describe(List<string> output)
    {
        lock (output)
        {
            return string.Join("\n", output.TakeLast(20));
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
