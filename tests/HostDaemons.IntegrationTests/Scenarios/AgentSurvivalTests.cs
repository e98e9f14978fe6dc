using System.Text;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>The daemons keep running whatever happens to the agent or the control plane.</summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class AgentSurvivalTests
{
    [Fact]
    public async Task AgentKilled_TenRunningContainers_AdoptedWithoutAnyRestart()
    {
        var node = "survive-" + Suffix();
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new AgentProcess(cluster.ControlPlane.Url, node, Path.Combine(cluster.Root, "agent"), Path.Combine(cluster.Root, "manifests"));
        agent.Start();
        cluster.Track(node);
        await cluster.Hdctl.RunWithInputAsync(Manifests(10), "apply", "-f", "-");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Docker.RunningAsync(node)).Count == 10, "ten daemons to run",
            describe: () => Task.FromResult(agent.Output));
        var before = await StartTimesAsync(cluster, node);

        await agent.KillAsync();
        agent.Start();

        await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(agent.Output.Contains("registered with the control plane", StringComparison.Ordinal)),
            "the restarted agent to reconnect", describe: () => Task.FromResult(agent.Output));
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            var list = await cluster.Hdctl.RunAsync("get", "pods");
            return list.Output.Split('\n').Count(l => l.Contains(" Running ", StringComparison.Ordinal)) == 10;
        }, "all ten pods to be reported Running again");
        var after = await StartTimesAsync(cluster, node);
        Assert.True(before.SequenceEqual(after), $"containers changed:\n{string.Join("\n", before)}\n--\n{string.Join("\n", after)}\n{agent.Output}");
        Assert.All(PodRows(await cluster.Hdctl.OkAsync("get", "pods")), row => Assert.Equal("0", row[3]));
    }

    [Fact]
    public async Task ControlPlaneDown_CrashAndAgentRestart_PodsKeepRunningAndStatusArrivesLater()
    {
        var node = "offline-" + Suffix();
        await using var cluster = await TestCluster.StartAsync();
        await using var agent = new AgentProcess(cluster.ControlPlane.Url, node, Path.Combine(cluster.Root, "agent"), Path.Combine(cluster.Root, "manifests"));
        agent.Start();
        cluster.Track(node);
        await cluster.Hdctl.RunWithInputAsync(Manifests(1), "apply", "-f", "-");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Docker.RunningAsync(node)).Count == 1, "the daemon to run",
            describe: () => Task.FromResult(agent.Output));
        var original = (await cluster.Docker.RunningAsync(node)).Single();

        await cluster.ControlPlane.StopAsync();
        await cluster.Docker.KillAsync(original.ID);
        await agent.KillAsync();
        agent.Start();

        // With no control plane the agent runs its saved assignments and restarts the crashed daemon.
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Docker.RunningAsync(node)).Any(c => c.ID != original.ID),
            "the crashed daemon to be restarted while the control plane is down", describe: () => Task.FromResult(agent.Output));

        await cluster.ControlPlane.StartAsync();
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            var row = PodRows((await cluster.Hdctl.RunAsync("get", "pods")).Output).SingleOrDefault();
            return row is not null && row[2] == "Running" && row[3].StartsWith("1 ", StringComparison.Ordinal);
        }, "the restart to be reported once the control plane is back", describe: async () => (await cluster.Hdctl.RunAsync("get", "pods")).Output + agent.Output);
    }

    /// <summary>The cells of each pod row of <c>get pods</c>: NAME READY STATUS RESTARTS AGE.</summary>
    private static IEnumerable<string[]> PodRows(string table) =>
        table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => System.Text.RegularExpressions.Regex.Split(line.Trim(), @"\s{2,}"));

    private static async Task<List<string>> StartTimesAsync(TestCluster cluster, string node)
    {
        var result = new List<string>();
        foreach (var container in await cluster.Docker.RunningAsync(node))
        {
            var inspect = await cluster.Docker.InspectAsync(container.ID);
            result.Add($"{container.ID} {inspect.State!.StartedAt} {inspect.RestartCount}");
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    private static string Manifests(int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"""
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: daemon-{i}
                spec:
                  selector:
                    matchLabels: {"{"}app: daemon-{i}{"}"}
                  template:
                    metadata:
                      labels: {"{"}app: daemon-{i}{"}"}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: main
                        image: busybox:latest
                        command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"]

                """);
        }

        return text.ToString();
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];
}
