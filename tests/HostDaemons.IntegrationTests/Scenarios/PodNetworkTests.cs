using System.Text.Json.Nodes;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Pods on a pod network (<c>--pod-network</c>): each of the test's own <c>--internal</c> Docker network (no route out),
/// so traffic only ever goes between the test's containers. A pod gets its sandbox's address, shown as its IP, and
/// pods reach each other on it; hostPorts are published on the sandbox.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class PodNetworkTests
{
    [Fact]
    public async Task InternalPodNetwork_PodHasAnAddressAnotherPodReachesAndItsHostPortIsPublished()
    {
        var suffix = Suffix();
        var node = "podnet-" + suffix;
        await using var network = await TestNetwork.CreateAsync("hd-test-" + suffix);
        await using var cluster = await TestCluster.StartAsync();
        await cluster.AddNodeAsync(node, extraArgs: ["--pod-network", network.Name]);
        var hostPort = FreeHostPorts.Next();
        await ApplyAsync(cluster, $$$"""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  terminationGracePeriodSeconds: 0
                  hostAliases:
                  - {ip: 192.0.2.7, hostnames: [registry.test]}
                  containers:
                  - name: httpd
                    image: busybox:latest
                    env:
                    - name: POD_IP
                      valueFrom: {fieldRef: {fieldPath: status.podIP}}
                    command: ["/bin/sh", "-c", "mkdir -p /www && echo served-by-$(POD_IP) > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    ports:
                    - {containerPort: 8080, hostPort: {{{hostPort}}}, hostIP: 127.0.0.1}
                    - {containerPort: 5353, hostPort: {{{hostPort}}}, protocol: UDP}
            """);
        await cluster.WaitForRunningAsync(node, "DaemonSet/web", 2);

        var web = await PodAsync(cluster, "web");
        var ip = web["status"]!["podIP"]!.GetValue<string>();
        Assert.StartsWith(network.Prefix, ip, StringComparison.Ordinal);
        Assert.Equal([ip], web["status"]!["podIPs"]!.AsArray().Select(a => a!["ip"]!.GetValue<string>()));
        Assert.Equal(web["status"]!["hostIP"]!.GetValue<string>(), web["status"]!["hostIPs"]![0]!["ip"]!.GetValue<string>());
        var wide = await cluster.Hdctl.OkAsync("get", "pods", "-o", "wide");
        Assert.Contains(ip, wide, StringComparison.Ordinal);

        // The sandbox holds the address, the published ports and the hosts entries; the container joined it.
        var containers = await cluster.Docker.RunningAsync(node);
        var sandbox = await cluster.Docker.InspectAsync(containers.Single(c => c.Labels.TryGetValue("io.hostdaemons.sandbox", out var s) && s == "true").ID);
        var httpd = await cluster.Docker.InspectAsync(containers.Single(c => c.Labels["io.hostdaemons.container"] == "httpd").ID);
        Assert.Equal(network.Name, sandbox.HostConfig!.NetworkMode);
        Assert.Equal(ip, sandbox.NetworkSettings!.Networks[network.Name].IPAddress);
        var tcp = Assert.Single(sandbox.HostConfig.PortBindings["8080/tcp"]);
        Assert.Equal(("127.0.0.1", hostPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), (tcp.HostIP, tcp.HostPort));
        Assert.Equal(hostPort.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(sandbox.HostConfig.PortBindings["5353/udp"]).HostPort);
        Assert.Equal(["registry.test:192.0.2.7"], sandbox.HostConfig.ExtraHosts);
        Assert.Equal("container:" + sandbox.ID, httpd.HostConfig!.NetworkMode);
        Assert.Contains("POD_IP=" + ip, httpd.Config!.Env);

        // Another pod on the same network reaches it on its containerPort, and is served the address it was given.
        await ApplyAsync(cluster, $$$"""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: client}
            spec:
              selector: {matchLabels: {app: client}}
              template:
                metadata: {labels: {app: client}}
                spec:
                  terminationGracePeriodSeconds: 0
                  containers:
                  - name: wget
                    image: busybox:latest
                    command: ["/bin/sh", "-c", "while true; do wget -q -O- http://{{{ip}}}:8080/ 2>&1; sleep 1; done"]
            """);
        var client = (await PodAsync(cluster, "client"))["metadata"]!["name"]!.GetValue<string>();
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.RunAsync("logs", client)).Output.Contains("served-by-" + ip, StringComparison.Ordinal),
            "the client pod to reach the web pod on its pod IP",
            describe: async () => (await cluster.Hdctl.RunAsync("logs", client)).Output);
        var clientIp = (await PodAsync(cluster, "client"))["status"]!["podIP"]!.GetValue<string>();
        Assert.StartsWith(network.Prefix, clientIp, StringComparison.Ordinal);
        Assert.NotEqual(ip, clientIp);
    }

    [Fact]
    public async Task InternalPodNetwork_ContainerRestarts_PodKeepsItsAddress()
    {
        var suffix = Suffix();
        var node = "podnet-keep-" + suffix;
        await using var network = await TestNetwork.CreateAsync("hd-test-" + suffix);
        await using var cluster = await TestCluster.StartAsync();
        await cluster.AddNodeAsync(node, extraArgs: ["--pod-network", network.Name]);
        await ApplyAsync(cluster, """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: keep}
            spec:
              selector: {matchLabels: {app: keep}}
              template:
                metadata: {labels: {app: keep}}
                spec:
                  terminationGracePeriodSeconds: 0
                  containers:
                  - {name: main, image: busybox:latest, command: ["sleep", "3600"]}
            """);
        await cluster.WaitForRunningAsync(node, "DaemonSet/keep", 2);
        var ip = (await PodAsync(cluster, "keep"))["status"]!["podIP"]!.GetValue<string>();
        Assert.StartsWith(network.Prefix, ip, StringComparison.Ordinal);

        var main = (await cluster.Docker.RunningAsync(node)).Single(c => c.Labels["io.hostdaemons.container"] == "main");
        await cluster.Docker.KillAsync(main.ID);

        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await PodAsync(cluster, "keep"))["status"]!["containerStatuses"]![0]!["restartCount"]?.GetValue<int>() == 1
                && (await cluster.Docker.RunningAsync(node)).Count == 2,
            "the container to be restarted in the same sandbox");
        Assert.Equal(ip, (await PodAsync(cluster, "keep"))["status"]!["podIP"]!.GetValue<string>());
    }

    private static async Task ApplyAsync(TestCluster cluster, string manifest)
    {
        var result = await cluster.Hdctl.RunWithInputAsync(manifest, "apply", "-f", "-");
        Assert.True(result.ExitCode == 0, $"apply failed: {result.Error}");
    }

    /// <summary>The pod of a DaemonSet, once it has an address reported.</summary>
    private static async Task<JsonNode> PodAsync(TestCluster cluster, string app)
    {
        JsonNode? found = null;
        await AsyncTestHelpers.WaitUntilAsync(
            async () =>
            {
                var pods = (await cluster.Hdctl.JsonAsync("get", "pods", "-l", "app=" + app)).AsArray();
                found = pods.FirstOrDefault(p => p?["status"]?["podIP"]?.GetValue<string>() is { Length: > 0 });
                return found is not null;
            },
            $"the {app} pod to report its address",
            describe: async () => (await cluster.Hdctl.RunAsync("get", "pods", "-o", "wide")).Output);
        return found!;
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];
}
