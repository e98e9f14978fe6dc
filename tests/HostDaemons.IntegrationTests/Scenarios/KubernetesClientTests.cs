using System.Diagnostics;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// The official C# client (NuGet KubernetesClient) and JavaScript client (npm @kubernetes/client-node), each in a
/// program of its own (tests/clients), against the control plane over TLS with the admin kubeconfig: each lists
/// DaemonSets, watches them in order, and across a control plane restart watches again or, told 410 Expired, lists
/// again, as an informer does.
/// </summary>
public sealed class KubernetesClientTests : IDisposable
{
    private readonly TempDirectory _directory = new("hd-k8s-client");

    [Theory]
    [InlineData("csharp")]
    [InlineData("javascript")]
    public async Task Client_ListWatchAcrossRestart_EventsInOrderResumedOrRelisted(string client)
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var hdctl = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        await hdctl.RunWithInputAsync(TestManifests.Daemon("first"), "apply", "-f", "-");
        await using var probe = ClientProbe.Start(client, controlPlane.AdminConf, "default");

        await probe.WaitForAsync("LIST first");
        await hdctl.RunWithInputAsync(TestManifests.Daemon("second"), "apply", "-f", "-");
        await probe.WaitForAsync("EVENT Added second");
        await hdctl.OkAsync("label", "ds", "second", "tier=web");
        await probe.WaitForAsync("EVENT Modified second");

        await controlPlane.StopAsync();
        await controlPlane.StartAsync();
        await hdctl.RunWithInputAsync(TestManifests.Daemon("third"), "apply", "-f", "-");
        await probe.WaitForAsync(line => string.Equals(line, "EVENT Added third", StringComparison.OrdinalIgnoreCase) || line == "LIST first,second,third",
            "third seen after the restart");
        await hdctl.OkAsync("delete", "ds", "first");
        await probe.WaitForAsync("EVENT Deleted first");

        var lines = probe.Lines;
        var order = new[] { "LIST first", "EVENT Added second", "EVENT Modified second", "EVENT Deleted first" }
            .Select(l => Array.FindIndex(lines, line => string.Equals(line, l, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(order.SequenceEqual(order.Order()) && order[0] >= 0, string.Join('\n', lines));
        Assert.DoesNotContain(lines, l => l.StartsWith("EVENT Added first", StringComparison.OrdinalIgnoreCase));
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>The probe program (tests/clients/KubeClientProbe), and the lines it prints.</summary>
    private sealed class ClientProbe : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];

        private ClientProbe(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    lock (_lines)
                    {
                        _lines.Add(line);
                    }
                }
            };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string[] Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public static ClientProbe Start(string client, string kubeconfig, string ns)
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var (runtime, program) = client == "csharp"
                ? ("dotnet", RepositoryFiles.Path("tests", "clients", "KubeClientProbe", "bin", configuration, "net10.0", "KubeClientProbe.dll"))
                : ("node", RepositoryFiles.Path("tests", "clients", "js-probe", "probe.mjs"));
            var start = new ProcessStartInfo(runtime) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(program);
            start.ArgumentList.Add(kubeconfig);
            start.ArgumentList.Add(ns);
            return new ClientProbe(Process.Start(start) ?? throw new InvalidOperationException("the probe did not start"));
        }

        /// <summary>Waits for a line; event types are compared without case (the C# client says Added, the JavaScript one ADDED).</summary>
        public Task WaitForAsync(string line) => WaitForAsync(l => string.Equals(l, line, StringComparison.OrdinalIgnoreCase), line);

        public Task WaitForAsync(Func<string, bool> match, string because) =>
            AsyncTestHelpers.WaitUntilAsync(
                () => Task.FromResult(Lines.Any(match) || (_process.HasExited ? throw new InvalidOperationException($"the probe ended: {string.Join('\n', Lines)}") : false)),
                because, describe: () => Task.FromResult(string.Join('\n', Lines)));

        public async ValueTask DisposeAsync()
        {
            _process.StandardInput.Close();
            if (!await Task.Run(() => _process.WaitForExit(5000)))
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
