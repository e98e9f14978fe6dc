using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>Seed 000, replayed on a real engine with two agents: ssd-monitor follows the disk=ssd label.</summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class SsdMonitorStoryTests
{
    private const string Owner = "DaemonSet/ssd-monitor";

    [Fact]
    public async Task SsdMonitor_LabelRelabelDelete_RunsOnlyWhereTheNodeSaysSsd()
    {
        await using var cluster = await TestCluster.StartAsync("node-a", "node-b");
        var hdctl = cluster.Hdctl;

        var applied = await hdctl.OkAsync("apply", "-f", RepositoryFiles.Path("examples", "ssd-monitor", "ssd-monitor-daemonset.yaml"));
        Assert.Equal("daemonset.apps/ssd-monitor created\n", applied);

        var before = await hdctl.RunAsync("get", "ds");
        Assert.Equal(["ssd-monitor", "0", "0", "0", "0", "0", "disk=ssd"], before.Row("ssd-monitor")![..7]);
        Assert.Empty(await cluster.Docker.ContainersAsync("node-a"));
        Assert.Empty(await cluster.Docker.ContainersAsync("node-b"));

        Assert.Equal("node/node-a labeled\n", await hdctl.OkAsync("label", "node", "node-a", "disk=ssd"));
        await cluster.WaitForRunningAsync("node-a", Owner, 1);
        Assert.Empty(await cluster.Docker.ContainersAsync("node-b"));

        var pod = (await hdctl.OkAsync("get", "pods", "-o", "name")).Trim().Split('/')[1];
        await AsyncTestHelpers.WaitUntilAsync(async () => (await hdctl.RunAsync("logs", pod)).Output.Contains("SSD OK", StringComparison.Ordinal), "SSD OK in the pod's logs");
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await hdctl.RunAsync("get", "ds")).Row("ssd-monitor")?[1..6].SequenceEqual(["1", "1", "1", "1", "1"]) == true,
            "get ds to show 1 1 1 1 1");

        Assert.Equal("node/node-a labeled\n", await hdctl.OkAsync("label", "node", "node-a", "disk=hdd", "--overwrite"));

        // The seed's image runs a shell as PID 1, which ignores SIGTERM: the stop takes the 30 s grace period, as in Kubernetes.
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Docker.ContainersAsync("node-a")).Count == 0,
            "the container to be stopped and removed", TimeSpan.FromSeconds(90));
        await AsyncTestHelpers.WaitUntilAsync(async () => (await hdctl.RunAsync("get", "pods")).Error.Contains("No resources found", StringComparison.Ordinal),
            "the pod to be gone");

        Assert.Equal("daemonset.apps \"ssd-monitor\" deleted\n", await hdctl.OkAsync("delete", "ds", "ssd-monitor"));
        var after = await hdctl.RunAsync("get", "ds");
        Assert.Equal("No resources found in default namespace.\n", after.Error);
        Assert.Empty(await cluster.Docker.ContainersAsync("node-a"));
        Assert.Empty(await cluster.Docker.ContainersAsync("node-b"));
    }
}
