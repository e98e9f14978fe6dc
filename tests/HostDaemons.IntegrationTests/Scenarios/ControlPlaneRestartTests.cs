using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>The embedded store is durable: a restarted control plane has every DaemonSet and node label.</summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class ControlPlaneRestartTests
{
    [Fact]
    public async Task Restart_SameDataDir_KeepsDaemonSetsNodeLabelsAndRunningPods()
    {
        var node = "restart-" + Guid.NewGuid().ToString("N")[..6];
        await using var cluster = await TestCluster.StartAsync(node);
        var hdctl = cluster.Hdctl;
        await hdctl.OkAsync("apply", "-f", RepositoryFiles.Path("examples", "ssd-monitor", "ssd-monitor-daemonset.yaml"));
        await hdctl.OkAsync("apply", "-f", RepositoryFiles.Path("examples", "fluentd", "fluentd-elasticsearch.yaml"));
        await hdctl.OkAsync("label", "node", node, "disk=ssd", "rack=r1");
        await cluster.WaitForRunningAsync(node, "DaemonSet/ssd-monitor", 1);
        await cluster.WaitForRunningAsync(node, "DaemonSet/fluentd-elasticsearch", 1);
        var before = (await cluster.Docker.RunningAsync(node)).Select(c => c.ID).Order().ToList();
        var pods = await hdctl.OkAsync("get", "pods", "-A", "-o", "name");

        await cluster.ControlPlane.StopAsync();
        await cluster.ControlPlane.StartAsync();

        Assert.Equal("ssd-monitor", (await hdctl.RunAsync("get", "ds", "ssd-monitor")).Row("ssd-monitor")?[0]);
        Assert.Equal("fluentd-elasticsearch", (await hdctl.RunAsync("get", "ds", "-n", "kube-system")).Row("fluentd-elasticsearch")?[0]);
        var labels = await hdctl.OkAsync("get", "nodes", node, "--show-labels");
        Assert.Contains("disk=ssd", labels, StringComparison.Ordinal);
        Assert.Contains("rack=r1", labels, StringComparison.Ordinal);
        Assert.Equal(pods, await hdctl.OkAsync("get", "pods", "-A", "-o", "name"));

        // The agent reconnects and resumes; nothing it runs is restarted.
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await hdctl.RunAsync("get", "ds", "ssd-monitor")).Row("ssd-monitor")?[1..6].All(c => c == "1") == true,
            "status to be reported again after the restart");
        Assert.Equal(before, (await cluster.Docker.RunningAsync(node)).Select(c => c.ID).Order().ToList());
    }
}
