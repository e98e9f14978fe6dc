using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary><c>hdctl delete ds --cascade=background|foreground|orphan</c> on three real agents.</summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class CascadeDeletionTests
{
    private static string Daemon(string name, string command = TestManifests.SleepUntilTerm) => TestManifests.Daemon(name, command: command, gracePeriod: 3);

    [Fact]
    public async Task Delete_Background_DaemonSetGoesAtOnceThenItsPodsAndContainers()
    {
        var nodes = TestManifests.Nodes("bg");
        await using var cluster = await StartWithDaemonAsync(nodes, Daemon("bg"));

        Assert.Equal("daemonset.apps \"bg\" deleted\n", await cluster.Hdctl.OkAsync("delete", "ds", "bg", "--wait=false"));

        Assert.Equal("Error from server (NotFound): daemonsets.apps \"bg\" not found\n", (await cluster.Hdctl.RunAsync("get", "ds", "bg")).Error);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await PodState.ListAsync(cluster.Hdctl)).Count == 0, "the pods to go");
        foreach (var node in nodes)
        {
            await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Docker.ContainersAsync(node)).Count == 0, $"the containers on {node} to go");
        }
    }

    [Fact]
    public async Task Delete_Foreground_DaemonSetStaysUntilItsPodsAreGone()
    {
        var nodes = TestManifests.Nodes("fg");

        // A daemon that ignores SIGTERM takes its whole grace period, long enough to see the DaemonSet wait for it.
        await using var cluster = await StartWithDaemonAsync(nodes, Daemon("fg", "while true; do sleep 1; done"));

        Assert.Equal("daemonset.apps \"fg\" deleted\n", await cluster.Hdctl.OkAsync("delete", "ds", "fg", "--cascade=foreground", "--wait=false"));

        var deleting = await cluster.Hdctl.JsonAsync("get", "ds", "fg");
        Assert.NotNull(deleting["metadata"]!["deletionTimestamp"]);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await PodState.ListAsync(cluster.Hdctl)) is { Count: 3 } pods && pods.All(p => p.Terminating),
            "the controller to delete the pods while the DaemonSet stays");
        Assert.NotNull((await cluster.Hdctl.JsonAsync("get", "ds", "fg"))["metadata"]!["deletionTimestamp"]);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Hdctl.RunAsync("get", "ds", "fg")).ExitCode != 0, "the DaemonSet to go after its pods");
        Assert.Empty(await PodState.ListAsync(cluster.Hdctl));
        foreach (var node in nodes)
        {
            Assert.Empty(await cluster.Docker.RunningAsync(node));
        }
    }

    [Fact]
    public async Task Delete_Orphan_PodsKeepRunningAndApplyingAgainAdoptsThemWithoutRestart()
    {
        var nodes = TestManifests.Nodes("orphan");
        await using var cluster = await StartWithDaemonAsync(nodes, Daemon("orphan"));
        var hdctl = cluster.Hdctl;
        var pods = await PodState.ListAsync(hdctl);
        var containers = await ContainerIdsAsync(cluster, nodes);

        Assert.Equal("daemonset.apps \"orphan\" deleted\n", await hdctl.OkAsync("delete", "ds", "orphan", "--cascade=orphan"));

        Assert.NotEqual(0, (await hdctl.RunAsync("get", "ds", "orphan")).ExitCode);
        var orphans = await PodState.ListAsync(hdctl);
        Assert.Equal(pods.Select(p => (p.Uid, p.Name)).Order(), orphans.Select(p => (p.Uid, p.Name)).Order());
        Assert.All(orphans, p => Assert.Equal(((string?)null, false), (p.Owner, p.Terminating)));

        await hdctl.RunWithInputAsync(Daemon("orphan"), "apply", "-f", "-");

        await AsyncTestHelpers.WaitUntilAsync(async () => (await PodState.ListAsync(hdctl)).All(p => p.Owner == "orphan"), "the pods to be adopted");
        await DaemonSetState.WaitForAsync(hdctl, "orphan", DaemonSetState.Settled(3));
        Assert.Equal(pods.Select(p => p.Uid).Order(), (await PodState.ListAsync(hdctl)).Select(p => p.Uid).Order());
        Assert.Equal(containers, await ContainerIdsAsync(cluster, nodes));
        Assert.Equal(3, (await hdctl.OkAsync("get", "events")).Split('\n').Count(l => l.Contains("SuccessfulCreate", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Delete_UnknownCascade_NamesTheAllowedValues()
    {
        await using var cluster = await TestCluster.StartAsync();

        var result = await cluster.Hdctl.RunAsync("delete", "ds", "x", "--cascade=sometimes");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: invalid cascade value (sometimes). Must be \"background\", \"foreground\", or \"orphan\"\n", result.Error);
    }

    private static async Task<TestCluster> StartWithDaemonAsync(string[] nodes, string manifest)
    {
        var cluster = await TestCluster.StartAsync(nodes);
        try
        {
            await cluster.Hdctl.RunWithInputAsync(manifest, "apply", "-f", "-");
            var name = manifest.Split('\n').First(l => l.TrimStart().StartsWith("name:", StringComparison.Ordinal)).Split(':')[1].Trim();
            await DaemonSetState.WaitForAsync(cluster.Hdctl, name, DaemonSetState.Settled(nodes.Length));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static async Task<List<string>> ContainerIdsAsync(TestCluster cluster, string[] nodes)
    {
        var ids = new List<string>();
        foreach (var node in nodes)
        {
            ids.AddRange((await cluster.Docker.RunningAsync(node)).Select(c => c.ID));
        }

        return [.. ids.Order(StringComparer.Ordinal)];
    }
}
