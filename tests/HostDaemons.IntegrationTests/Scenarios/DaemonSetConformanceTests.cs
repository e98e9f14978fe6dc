using HostDaemons.ControlPlane.Storage;
using HostDaemons.IntegrationTests.Infrastructure;
using HostDaemons.Model.V1;
using Microsoft.Extensions.DependencyInjection;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Kubernetes' DaemonSet e2e checklist (reference section 3), on three real agents: the status counters are checked at
/// every step, as <c>CheckDaemonStatus</c> does.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class DaemonSetConformanceTests
{
    private static string Daemon(string name, string nodeSelector = "") => TestManifests.Daemon(name, labels: $"e2e: {name}", nodeSelector: nodeSelector);

    [Fact]
    public async Task SimpleDaemon_RunsOnEveryNode_DeletedPodIsReplaced()
    {
        var nodes = TestManifests.Nodes("simple");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;

        Assert.Equal("daemonset.apps/simple created\n", await hdctl.RunWithInputAsync(Daemon("simple"), "apply", "-f", "-").ContinueWith(t => t.Result.Output));
        await DaemonSetState.WaitForAsync(hdctl, "simple", DaemonSetState.Settled(3));
        var wide = await hdctl.RunAsync("get", "ds", "-o", "wide");
        Assert.Equal(["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"], wide.Row("NAME")!);
        Assert.Equal(["simple", "3", "3", "3", "3", "3", "<none>"], wide.Row("simple")![..7]);
        Assert.Equal(["main", "busybox:latest", "app=simple"], wide.Row("simple")![8..]);
        var pods = await PodState.ListAsync(hdctl, "-l", "app=simple");
        Assert.Equal(nodes.Order(), pods.Select(p => p.Node).Order());
        Assert.All(pods, p => Assert.Equal(("Running", true, "simple"), (p.Phase, p.Ready, p.Owner)));
        foreach (var node in nodes)
        {
            await cluster.WaitForRunningAsync(node, "DaemonSet/simple", 1);
        }

        var victim = pods[0];
        var victimContainer = (await cluster.Docker.RunningAsync(victim.Node)).Single();
        Assert.Equal($"pod \"{victim.Name}\" deleted\n", await hdctl.OkAsync("delete", "pod", victim.Name));

        // As kubectl, delete waits until the agent has stopped the pod's containers and the pod is gone.
        Assert.Equal($"Error from server (NotFound): pods \"{victim.Name}\" not found\n", (await hdctl.RunAsync("get", "pod", victim.Name)).Error);
        Assert.DoesNotContain(await cluster.Docker.ContainersAsync(victim.Node), c => c.ID == victimContainer.ID);

        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await PodState.ListAsync(hdctl, "-l", "app=simple")).Any(p => p.Node == victim.Node && p.Name != victim.Name && p.Ready),
            "a ready replacement pod on the victim's node");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Docker.RunningAsync(victim.Node)).Any(c => c.ID != victimContainer.ID),
            "a new container on the victim's node");
        await cluster.WaitForRunningAsync(victim.Node, "DaemonSet/simple", 1);
        await DaemonSetState.WaitForAsync(hdctl, "simple", DaemonSetState.Settled(3));
        var events = await hdctl.OkAsync("get", "events");
        Assert.Contains($"Killing", events, StringComparison.Ordinal);
        Assert.Equal(4, CountLines(events, "SuccessfulCreate"));
    }

    [Fact]
    public async Task ComplexDaemon_NodeSelectorColor_FollowsTheLabelsAndAnUpdatedSelector()
    {
        var nodes = TestManifests.Nodes("complex");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;

        await hdctl.RunWithInputAsync(Daemon("complex", "{color: blue}"), "apply", "-f", "-");
        await DaemonSetState.WaitForAsync(hdctl, "complex", DaemonSetState.Settled(0));
        Assert.Equal("complex   0         0         0       0            0           color=blue",
            (await hdctl.OkAsync("get", "ds", "complex")).Split('\n')[1][..73]);

        Assert.Equal($"node/{nodes[1]} labeled\n", await hdctl.OkAsync("label", "node", nodes[1], "color=blue"));
        await cluster.WaitForRunningAsync(nodes[1], "DaemonSet/complex", 1);
        await DaemonSetState.WaitForAsync(hdctl, "complex", DaemonSetState.Settled(1));
        Assert.Equal([nodes[1]], (await PodState.ListAsync(hdctl)).Select(p => p.Node));

        await hdctl.OkAsync("label", "node", nodes[1], "color=green", "--overwrite");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await PodState.ListAsync(hdctl)).Count == 0, "the pod to go with the blue label");
        await cluster.WaitForRunningAsync(nodes[1], "DaemonSet/complex", 0);
        await DaemonSetState.WaitForAsync(hdctl, "complex", DaemonSetState.Settled(0));

        var applied = await hdctl.RunWithInputAsync(Daemon("complex", "{color: green}"), "apply", "-f", "-");
        Assert.Equal("daemonset.apps/complex configured\n", applied.Output);
        await cluster.WaitForRunningAsync(nodes[1], "DaemonSet/complex", 1);
        await DaemonSetState.WaitForAsync(hdctl, "complex", DaemonSetState.Settled(1, generation: 2));
        Assert.Empty(await cluster.Docker.ContainersAsync(nodes[0]));
        Assert.Empty(await cluster.Docker.ContainersAsync(nodes[2]));
    }

    [Fact]
    public async Task FailedPod_IsReplacedAndTheFailedPodDeleted()
    {
        var nodes = TestManifests.Nodes("retry");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;
        await hdctl.RunWithInputAsync(Daemon("retry"), "apply", "-f", "-");
        await DaemonSetState.WaitForAsync(hdctl, "retry", DaemonSetState.Settled(3));
        var failed = (await PodState.ListAsync(hdctl))[0];

        // What Kubernetes' e2e does with UpdateStatus: the pod's phase becomes Failed behind the agent's back.
        var store = cluster.ControlPlane.Services.GetRequiredService<IObjectStore>();
        await store.MutateAsync<Pod>("default", failed.Name, pod =>
        {
            pod.Status.Phase = "Failed";
            return true;
        }, TestContext.Current.CancellationToken);

        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            var pods = await PodState.ListAsync(hdctl);
            return pods.All(p => p.Name != failed.Name) && pods.Count(p => p.Node == failed.Node && p.Ready) == 1;
        }, "the failed pod to be deleted and a ready replacement on its node");
        await DaemonSetState.WaitForAsync(hdctl, "retry", DaemonSetState.Settled(3));
        var events = await hdctl.OkAsync("get", "events");
        Assert.Contains($"Found failed daemon pod default/{failed.Name} on node {failed.Node}, will try to kill it", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAndDeleteCollection_BySelectorAcrossNamespaces_FindsOneThenNone()
    {
        var nodes = TestManifests.Nodes("list");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;
        await hdctl.RunWithInputAsync(Daemon("listed"), "apply", "-f", "-");
        await hdctl.RunWithInputAsync(Daemon("other"), "apply", "-f", "-");
        await DaemonSetState.WaitForAsync(hdctl, "listed", DaemonSetState.Settled(3));

        var listed = await hdctl.RunAsync("get", "ds", "-A", "-l", "e2e=listed");
        Assert.Equal(2, listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("default", listed.Row("default")![0]);
        Assert.Equal("listed", listed.Row("default")![1]);

        Assert.Equal("daemonset.apps \"listed\" deleted\n", await hdctl.OkAsync("delete", "ds", "-l", "e2e=listed"));

        var none = await hdctl.RunAsync("get", "ds", "-A", "-l", "e2e=listed");
        Assert.Equal(("", "No resources found\n"), (none.Output, none.Error));
        await AsyncTestHelpers.WaitUntilAsync(async () => (await PodState.ListAsync(hdctl, "-l", "app=listed")).Count == 0, "the listed pods to go");
        foreach (var node in nodes)
        {
            await cluster.WaitForRunningAsync(node, "DaemonSet/listed", 0);
        }

        await DaemonSetState.WaitForAsync(hdctl, "other", DaemonSetState.Settled(3));
    }

    private static int CountLines(string text, string word) => text.Split('\n').Count(line => line.Contains(word, StringComparison.Ordinal));
}
