using System.Text.Json;
using HostDaemons.Agent.Runtime;
using HostDaemons.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Probes against the real engine, one per handler: exec (readiness and startup), tcpSocket and httpGet inside a pod's
/// own network namespace (network mode none, or its sandbox's), and httpGet on the host's network. Periods of a second
/// keep each test to seconds.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class ProbeTests
{
    private const string KeepRunning = "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done";

    [Fact]
    public async Task ExecReadiness_FileAppears_ReadyZeroThenOne()
    {
        var node = "probe-exec-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        await ApplyAsync(cluster, "probe-exec", $$"""
            readinessProbe:
              exec:
                command: ["/bin/sh", "-c", "touch /tmp/probed; test -f /tmp/ready"]
              periodSeconds: 1
            command: ["/bin/sh", "-c", "{{KeepRunning}}"]
            """);
        await cluster.WaitForRunningAsync(node, "DaemonSet/probe-exec", 1);

        // Running, probed and failing: not ready, and the DaemonSet counts it as neither ready nor available.
        await WaitForFileAsync(node, "/tmp/probed");
        await WaitForPodAsync(cluster, p => p.Status == "Running" && p.Ready == "0/1", "the pod to run unready");
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.RunAsync("get", "ds", "probe-exec")).Row("probe-exec")?[1..6] is ["1", "1", "0", "1", "0"],
            "get ds to count the pod current but neither ready nor available");

        await RunInAsync(node, "touch", "/tmp/ready");

        await WaitForPodAsync(cluster, p => p.Ready == "1/1", "the pod to be ready");
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.RunAsync("get", "ds", "probe-exec")).Row("probe-exec")?[1..6].All(c => c == "1") == true,
            "get ds to count the pod ready and available");
    }

    [Fact]
    public async Task ExecStartup_NotYetPassed_NotStartedNorReadyUntilItPasses()
    {
        var node = "probe-startup-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        await ApplyAsync(cluster, "probe-startup", $$"""
            startupProbe:
              exec:
                command: ["/bin/sh", "-c", "touch /tmp/probed; test -f /tmp/started"]
              periodSeconds: 1
              failureThreshold: 120
            livenessProbe:
              exec:
                command: ["false"]
              periodSeconds: 1
              failureThreshold: 1
            command: ["/bin/sh", "-c", "{{KeepRunning}}"]
            """);
        await cluster.WaitForRunningAsync(node, "DaemonSet/probe-startup", 1);
        await WaitForFileAsync(node, "/tmp/probed");
        await WaitForPodAsync(cluster, p => p.Status == "Running", "the pod to run");

        var waiting = await ContainerStatusAsync(cluster);
        Assert.Equal(JsonValueKind.Object, waiting.GetProperty("state").GetProperty("running").ValueKind);
        Assert.False(Flag(waiting, "started"));
        Assert.False(Flag(waiting, "ready"));
        Assert.Equal("0", (await PodRowAsync(cluster)).Restarts);

        await RunInAsync(node, "touch", "/tmp/started");

        // Once started, the failing liveness probe runs and restarts it: the gate held until then.
        await WaitForPodAsync(cluster, p => p.Restarts.StartsWith('1'), "the liveness probe to run once started and restart the container");
    }

    [Fact]
    public async Task TcpSocketLiveness_PodNetwork_RestartsWhenThePortCloses()
    {
        var node = "probe-tcp-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        await ApplyAsync(cluster, "probe-tcp", """
            readinessProbe:
              tcpSocket: {port: 8080}
              periodSeconds: 1
            livenessProbe:
              tcpSocket: {port: 8080}
              periodSeconds: 1
              failureThreshold: 2
              terminationGracePeriodSeconds: 1
            command: ["/bin/sh", "-c", "httpd -f -p 8080 & while [ ! -f /tmp/stop ]; do sleep 1; done; kill $!; sleep 3600"]
            """);
        await cluster.WaitForRunningAsync(node, "DaemonSet/probe-tcp", 1);

        // Ready: the agent reached port 8080 inside the pod's own network namespace (network mode none).
        await WaitForPodAsync(cluster, p => p.Ready == "1/1", "the pod to be ready");
        var first = (await cluster.Docker.RunningAsync(node)).Single();
        Assert.Equal("none", (await cluster.Docker.InspectAsync(first.ID)).HostConfig!.NetworkMode);

        await RunInAsync(node, "touch", "/tmp/stop");

        await WaitForPodAsync(cluster, p => p.Restarts.StartsWith('1') && p.Ready == "1/1", "the pod to be restarted and ready again");
        await AssertRestartedOnceAsync(cluster, node, first.ID);
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.RunAsync("get", "events")).Output is var events
                && events.Contains("Liveness probe failed: dial tcp 127.0.0.1:8080: ", StringComparison.Ordinal)
                && events.Contains("Container main failed liveness probe, will be restarted", StringComparison.Ordinal),
            "the Unhealthy and Killing events",
            describe: async () => (await cluster.Hdctl.RunAsync("get", "events")).Output);
    }

    [Fact]
    public async Task HttpGetLiveness_PodNetwork_ReadyThenRestartedWhenHealthzGoes()
    {
        var node = "probe-http-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        await ApplyAsync(cluster, "probe-http", """
            ports:
            - {name: http, containerPort: 8080}
            readinessProbe:
              httpGet: {path: /, port: 8080}
              periodSeconds: 1
            livenessProbe:
              httpGet:
                path: /healthz
                port: http
                httpHeaders:
                - {name: X-Probe, value: liveness}
              periodSeconds: 1
              failureThreshold: 2
              terminationGracePeriodSeconds: 1
            command: ["/bin/sh", "-c", "mkdir -p /www && echo ok > /www/index.html && echo ok > /www/healthz && exec httpd -f -p 8080 -h /www"]
            """);
        await cluster.WaitForRunningAsync(node, "DaemonSet/probe-http", 1);
        await WaitForPodAsync(cluster, p => p.Ready == "1/1", "the pod to be ready");
        var first = (await cluster.Docker.RunningAsync(node)).Single();

        await RunInAsync(node, "rm", "/www/healthz");

        await WaitForPodAsync(cluster, p => p.Restarts.StartsWith('1') && p.Ready == "1/1", "the pod to be restarted and ready again");
        await AssertRestartedOnceAsync(cluster, node, first.ID);
    }

    [Fact]
    public async Task TcpSocketReadiness_PodSandbox_SidecarReachesItsNeighbourOnTheSharedLoopback()
    {
        var node = "probe-sandbox-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        var manifest = $$"""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: probe-sandbox
            spec:
              selector:
                matchLabels: {app: probe-sandbox}
              template:
                metadata:
                  labels: {app: probe-sandbox}
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: web
                    image: busybox:latest
                    command: ["/bin/sh", "-c", "while [ ! -f /tmp/serve ]; do sleep 1; done; exec httpd -f -p 8080"]
                  - name: sidecar
                    image: busybox:latest
                    command: ["/bin/sh", "-c", "{{KeepRunning}}"]
                    readinessProbe:
                      tcpSocket: {port: 8080}
                      periodSeconds: 1
            """;
        Assert.Equal(0, (await cluster.Hdctl.RunWithInputAsync(manifest, "apply", "-f", "-")).ExitCode);
        await cluster.WaitForRunningAsync(node, "DaemonSet/probe-sandbox", 3);
        await WaitForPodAsync(cluster, p => p.Status == "Running" && p.Ready == "1/2", "the sidecar to run unready");
        var web = (await cluster.Docker.RunningAsync(node)).Single(c => c.Labels.TryGetValue("io.hostdaemons.container", out var name) && name == "web");

        using var runtime = new DockerContainerRuntime(new Uri("unix:///var/run/docker.sock"), NullLogger<DockerContainerRuntime>.Instance);
        Assert.Equal(0, (await runtime.ExecAsync(web.ID, ["touch", "/tmp/serve"], TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).ExitCode);

        // The sidecar's probe connects in the sandbox's namespace (through the sidecar's own process) to web's port.
        await WaitForPodAsync(cluster, p => p.Ready == "2/2", "the sidecar to be ready");
        Assert.Equal("0", (await PodRowAsync(cluster)).Restarts);
    }

    [Fact]
    public async Task HttpGetLiveness_HostNetwork_ReadyThenRestartedWhenHealthzGoes()
    {
        var node = "probe-hostnet-" + Suffix();
        var port = FreeHostPorts.Next();
        await using var cluster = await TestCluster.StartAsync(node);
        await ApplyAsync(cluster, "probe-hostnet", $$"""
            readinessProbe:
              httpGet: {path: /, port: {{port}}, host: 127.0.0.1}
              periodSeconds: 1
            livenessProbe:
              httpGet: {path: /healthz, port: {{port}}}
              periodSeconds: 1
              failureThreshold: 2
              terminationGracePeriodSeconds: 1
            command: ["/bin/sh", "-c", "D=/tmp/www-{{port}}; mkdir -p $D && echo ok > $D/index.html && echo ok > $D/healthz && exec httpd -f -p 127.0.0.1:{{port}} -h $D"]
            """, hostNetwork: true);
        await cluster.WaitForRunningAsync(node, "DaemonSet/probe-hostnet", 1);
        await WaitForPodAsync(cluster, p => p.Ready == "1/1", "the pod to be ready");
        var first = (await cluster.Docker.RunningAsync(node)).Single();
        Assert.Equal("host", (await cluster.Docker.InspectAsync(first.ID)).HostConfig!.NetworkMode);

        await RunInAsync(node, "rm", $"/tmp/www-{port}/healthz");

        await WaitForPodAsync(cluster, p => p.Restarts.StartsWith('1') && p.Ready == "1/1", "the pod to be restarted and ready again");
        await AssertRestartedOnceAsync(cluster, node, first.ID);
    }

    /// <summary>Applies a one-container DaemonSet; <paramref name="container"/> is the container's fields after name and image.</summary>
    private static async Task ApplyAsync(TestCluster cluster, string name, string container, bool hostNetwork = false)
    {
        var fields = string.Join('\n', container.Split('\n').Select(line => "        " + line));
        var manifest = $$"""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: {{name}}
            spec:
              selector:
                matchLabels: {app: {{name}}}
              template:
                metadata:
                  labels: {app: {{name}}}
                spec:
                  hostNetwork: {{(hostNetwork ? "true" : "false")}}
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: main
                    image: busybox:latest
            {{fields}}
            """;
        var result = await cluster.Hdctl.RunWithInputAsync(manifest, "apply", "-f", "-");
        Assert.True(result.ExitCode == 0, $"apply failed: {result.Error}");
    }

    /// <summary>The killed instance stays exited (for logs --previous), the pod counts one restart and shows its exit.</summary>
    private static async Task AssertRestartedOnceAsync(TestCluster cluster, string node, string firstId)
    {
        var containers = await cluster.Docker.ContainersAsync(node);
        Assert.Equal("exited", Assert.Single(containers, c => c.ID == firstId).State);
        Assert.Single(containers, c => c.State == "running");
        var status = await ContainerStatusAsync(cluster);
        Assert.Equal(1, status.GetProperty("restartCount").GetInt32());
        Assert.Equal("docker://" + firstId, status.GetProperty("lastState").GetProperty("terminated").GetProperty("containerID").GetString());
    }

    /// <summary>Waits until a file exists in the node's only running container (a probe's trace).</summary>
    private static Task WaitForFileAsync(string node, string path) =>
        AsyncTestHelpers.WaitUntilAsync(async () => (await ExecAsync(node, "test", "-f", path)).ExitCode == 0, $"{path} in the container");

    /// <summary>Runs a command that must succeed in the node's only running container.</summary>
    private static async Task RunInAsync(string node, params string[] command)
    {
        var result = await ExecAsync(node, command);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)} exited with {result.ExitCode}: {result.Output}");
    }

    /// <summary>Runs a command in the node's only running container, as <c>docker exec</c> does (through the agent's runtime).</summary>
    private static async Task<ExecResult> ExecAsync(string node, params string[] command)
    {
        using var docker = new DockerProbe();
        var running = (await docker.RunningAsync(node)).Single();
        using var runtime = new DockerContainerRuntime(new Uri("unix:///var/run/docker.sock"), NullLogger<DockerContainerRuntime>.Instance);
        return await runtime.ExecAsync(running.ID, command, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    private static async Task WaitForPodAsync(TestCluster cluster, Func<PodRow, bool> condition, string because) =>
        await AsyncTestHelpers.WaitUntilAsync(
            async () => await PodRowAsync(cluster) is { } row && condition(row),
            because,
            describe: async () => (await cluster.Hdctl.RunAsync("get", "pods")).Output);

    private static async Task<PodRow> PodRowAsync(TestCluster cluster)
    {
        var lines = (await cluster.Hdctl.RunAsync("get", "pods")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2)
        {
            return new PodRow("", "", "", "");
        }

        var cells = System.Text.RegularExpressions.Regex.Split(lines[1].Trim(), @"\s{2,}");
        return new PodRow(cells[0], cells[1], cells[2], cells[3]);
    }

    private static async Task<JsonElement> ContainerStatusAsync(TestCluster cluster)
    {
        var json = await cluster.Hdctl.OkAsync("get", "pods", "-o", "json");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("items")[0].GetProperty("status").GetProperty("containerStatuses")[0].Clone();
    }

    /// <summary>A boolean field, false when left out (as proto3 leaves out false).</summary>
    private static bool Flag(JsonElement element, string name) => element.TryGetProperty(name, out var value) && value.GetBoolean();


    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    private sealed record PodRow(string Name, string Ready, string Status, string Restarts);
}
