using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary><c>get -w</c> streams, label selectors on lists and watches, and the events the controller and agents record.</summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class WatchSelectorEventTests
{
    private static string Daemon(string name, string tier) => TestManifests.Daemon(name, labels: $"tier: {tier}");

    [Fact]
    public async Task GetWatch_PodsAndDaemonSets_StreamChangesAsTheyHappen()
    {
        var nodes = TestManifests.Nodes("watch");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;
        await using var pods = hdctl.Stream("get", "pods", "-w", "-l", "app=web");
        await using var daemonSets = hdctl.Stream("get", "ds", "-w");
        await using var events = hdctl.Stream("get", "events", "-w");

        await hdctl.RunWithInputAsync(Daemon("web", "front"), "apply", "-f", "-");
        await hdctl.RunWithInputAsync(Daemon("db", "back"), "apply", "-f", "-");

        await pods.WaitForAsync(lines => lines.Count(l => l.Contains("1/1     Running", StringComparison.Ordinal)) >= 3, "three web pods to be seen running");
        Assert.StartsWith("NAME ", pods.Lines[0], StringComparison.Ordinal);
        Assert.All(pods.Lines.Skip(1), l => Assert.StartsWith("web-", l, StringComparison.Ordinal));
        await daemonSets.WaitForAsync(lines => lines.Any(l => l.StartsWith("web ", StringComparison.Ordinal) && Cells(l)[1..6].All(c => c == "3")), "web to be seen 3 3 3 3 3");
        Assert.Equal("NAME   DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE", daemonSets.Lines[0]);
        await events.WaitForAsync(lines => lines.Any(l => l.Contains("Started", StringComparison.Ordinal)), "a Started event");

        var victim = (await PodState.ListAsync(hdctl, "-l", "app=web"))[0].Name;
        await hdctl.OkAsync("delete", "pod", victim);
        await pods.WaitForAsync(lines => lines.Any(l => l.StartsWith(victim, StringComparison.Ordinal) && l.Contains("Terminating", StringComparison.Ordinal)),
            "the deleted pod to be seen terminating");
        await events.WaitForAsync(lines => lines.Any(l => l.Contains("Killing", StringComparison.Ordinal) && l.Contains(victim, StringComparison.Ordinal)),
            "a Killing event for the deleted pod");
    }

    [Fact]
    public async Task Selectors_EqualitySetAndExistence_SelectListsOfPodsDaemonSetsAndNodes()
    {
        var nodes = TestManifests.Nodes("select");
        await using var cluster = await TestCluster.StartAsync();
        await cluster.AddNodeAsync(nodes[0], "zone=z1,gpu=true");
        await cluster.AddNodeAsync(nodes[1], "zone=z2");
        await cluster.AddNodeAsync(nodes[2], "zone=z3");
        var hdctl = cluster.Hdctl;
        await hdctl.RunWithInputAsync(Daemon("web", "front"), "apply", "-f", "-");
        await hdctl.RunWithInputAsync(Daemon("db", "back"), "apply", "-f", "-");
        await DaemonSetState.WaitForAsync(hdctl, "web", DaemonSetState.Settled(3));
        await DaemonSetState.WaitForAsync(hdctl, "db", DaemonSetState.Settled(3));

        async Task<string[]> NamesAsync(string kind, string selector) =>
            [.. (await hdctl.OkAsync("get", kind, "-l", selector, "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(n => n.Split('/')[1]).Order()];

        Assert.Equal([nodes[0]], await NamesAsync("nodes", "gpu"));
        Assert.Equal([nodes[1], nodes[2]], await NamesAsync("nodes", "!gpu"));
        Assert.Equal([nodes[0], nodes[1]], await NamesAsync("nodes", "zone in (z1,z2)"));
        Assert.Equal([nodes[2]], await NamesAsync("nodes", "zone notin (z1,z2)"));
        Assert.Equal([nodes[1]], await NamesAsync("nodes", "zone!=z1,zone!=z3"));
        Assert.Equal(["db"], await NamesAsync("ds", "tier=back"));
        Assert.Equal(["web"], await NamesAsync("ds", "tier!=back"));
        Assert.Equal(3, (await NamesAsync("pods", "app=web,tier!=back")).Length);
        Assert.Equal(6, (await NamesAsync("pods", "app in (web,db)")).Length);
        Assert.Empty(await NamesAsync("pods", "app=web,tier=back"));

        var invalid = await hdctl.RunAsync("get", "pods", "-l", "app in web");
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("app in web", invalid.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_ControllerAndAgent_ShowInGetEventsAndDescribe()
    {
        var nodes = TestManifests.Nodes("events");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;
        await hdctl.RunWithInputAsync(Daemon("web", "front"), "apply", "-f", "-");
        await DaemonSetState.WaitForAsync(hdctl, "web", DaemonSetState.Settled(3));
        var pod = (await PodState.ListAsync(hdctl))[0].Name;

        string[] lines = [];
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            lines = (await hdctl.OkAsync("get", "events")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return lines.Count(l => l.Contains("Started", StringComparison.Ordinal)) == 3;
        }, "a Started event for each pod", describe: () => Task.FromResult(string.Join('\n', lines)));

        Assert.Equal(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], Cells(lines[0]));
        Assert.Contains(lines, l => Cells(l)[1..4].SequenceEqual(["Normal", "SuccessfulCreate", "daemonset/web"]) && Cells(l)[4] == $"Created pod: {pod}");
        foreach (var reason in new[] { "Scheduled", "Pulled", "Created", "Started" })
        {
            Assert.Contains(lines, l => Cells(l)[1..4].SequenceEqual(["Normal", reason, $"pod/{pod}"]));
        }

        var describedDs = await hdctl.OkAsync("describe", "ds", "web");
        Assert.Contains("Events:", describedDs, StringComparison.Ordinal);
        Assert.Contains($"SuccessfulCreate  ", describedDs, StringComparison.Ordinal);
        Assert.Contains($"Created pod: {pod}", describedDs, StringComparison.Ordinal);
        var describedPod = await hdctl.OkAsync("describe", "pod", pod);
        Assert.Contains("Started", describedPod[describedPod.IndexOf("Events:", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    private static string[] Cells(string line) => System.Text.RegularExpressions.Regex.Split(line.Trim(), @"\s{2,}");
}
