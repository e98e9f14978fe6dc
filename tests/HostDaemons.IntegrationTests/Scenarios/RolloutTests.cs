using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Updates and rollback on three real agents: the rolling update's budgets observed change by change in the store,
/// surge, minReadySeconds, a broken image that stops at maxUnavailable and an undo that restarts nothing it need not,
/// OnDelete, history and its cleanup, and hdctl's rollout messages.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class RolloutTests
{
    private static readonly TimeSpan s_rollout = TimeSpan.FromSeconds(90);

    /// <summary>A DaemonSet of busybox images that are never pulled (all local), stopping at once on SIGTERM.</summary>
    private static string Manifest(string name, string image = "busybox:latest", string strategy = "", int minReadySeconds = 0,
        string changeCause = "", int? historyLimit = null)
    {
        var annotations = changeCause.Length == 0 ? "" : $"\n  annotations: {{kubernetes.io/change-cause: \"{changeCause}\"}}";
        var strategyLine = strategy.Length == 0 ? "" : $"\n  updateStrategy: {strategy}";
        var minReady = minReadySeconds == 0 ? "" : $"\n  minReadySeconds: {minReadySeconds}";
        var limit = historyLimit is null ? "" : $"\n  revisionHistoryLimit: {historyLimit}";
        return $$"""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: {{name}}{{annotations}}
            spec:
              selector:
                matchLabels: {app: {{name}}}{{strategyLine}}{{minReady}}{{limit}}
              template:
                metadata:
                  labels: {app: {{name}}}
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                  - name: main
                    image: {{image}}
                    imagePullPolicy: Never
                    command: ["/bin/sh", "-c", "{{TestManifests.SleepUntilTerm}}"]
            """;
    }

    private static async Task<(TestCluster Cluster, string[] Nodes)> StartAsync(string test, string manifest, string name)
    {
        var nodes = TestManifests.Nodes(test);
        var cluster = await TestCluster.StartAsync(nodes);
        Assert.Equal($"daemonset.apps/{name} created\n", (await cluster.Hdctl.RunWithInputAsync(manifest, "apply", "-f", "-")).Output);
        await DaemonSetState.WaitForAsync(cluster.Hdctl, name, DaemonSetState.Settled(3));
        return (cluster, nodes);
    }

    /// <summary><c>rollout status</c> until done; returns what it printed.</summary>
    private static async Task<string> RolloutStatusAsync(Hdctl hdctl, string name)
    {
        var result = await hdctl.RunAsync("rollout", "status", $"ds/{name}", "--timeout", "80s").DefaultTimeout(s_rollout);
        Assert.True(result.ExitCode == 0, $"rollout status failed: {result.Error}\n{result.Output}");
        Assert.EndsWith($"daemon set \"{name}\" successfully rolled out\n", result.Output, StringComparison.Ordinal);
        return result.Output;
    }

    private static async Task<Dictionary<string, string>> ImagesByPodAsync(Hdctl hdctl, string name)
    {
        var items = (await hdctl.JsonAsync("get", "pods", "-l", $"app={name}")).AsArray();
        return items.ToDictionary(p => p!["metadata"]!["name"]!.GetValue<string>(), p => p!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    private static async Task<Dictionary<string, string>> ContainersByNodeAsync(TestCluster cluster, IEnumerable<string> nodes)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            result[node] = Assert.Single(await cluster.Docker.RunningAsync(node)).ID;
        }

        return result;
    }

    [Fact]
    public async Task RollingUpdate_MaxUnavailableOne_OneNodeAtATime_ApplyStatusAndHistory()
    {
        await using var tags = new LocalImageTags();
        var v2 = await tags.TagAsync("v2");
        var (cluster, nodes) = await StartAsync("roll", Manifest("roll", changeCause: "first version"), "roll");
        await using var _ = cluster;
        var hdctl = cluster.Hdctl;
        await using var monitor = RolloutMonitor.Start(cluster, "roll", nodes);

        // apply of a changed manifest is an update like any other.
        Assert.Equal("daemonset.apps/roll configured\n",
            (await hdctl.RunWithInputAsync(Manifest("roll", image: v2, changeCause: "busybox v2"), "apply", "-f", "-")).Output);
        var status = await RolloutStatusAsync(hdctl, "roll");

        Assert.True(monitor.MaxNodesWithoutAvailablePod <= 1, monitor.Describe());
        Assert.Equal(1, monitor.MaxLivePodsOnANode);
        Assert.Contains("Waiting for daemon set \"roll\" rollout to finish: ", status, StringComparison.Ordinal);
        Assert.Matches($@"\n  {nodes[0]}\s+roll-\w+\s+revision [12] \((updated|old)\)\s+", status);
        Assert.Contains("revision 2 (updated)", status, StringComparison.Ordinal);
        Assert.All((await ImagesByPodAsync(hdctl, "roll")).Values, image => Assert.Equal(v2, image));
        await DaemonSetState.WaitForAsync(hdctl, "roll", DaemonSetState.Settled(3, generation: 2));
        foreach (var node in nodes)
        {
            await cluster.WaitForRunningAsync(node, "DaemonSet/roll", 1);
        }

        Assert.Equal("daemonset.apps/roll \nREVISION  CHANGE-CAUSE\n1         first version\n2         busybox v2\n\n",
            await hdctl.OkAsync("rollout", "history", "ds/roll"));
        var revision2 = await hdctl.OkAsync("rollout", "history", "daemonset", "roll", "--revision", "2");
        Assert.StartsWith("daemonset.apps/roll with revision #2\nPod Template:\n  Labels:\tapp=roll\n", revision2, StringComparison.Ordinal);
        Assert.Contains($"    Image:\t{v2}\n", revision2, StringComparison.Ordinal);
        Assert.Equal("error: unable to find the specified revision\n", (await hdctl.RunAsync("rollout", "history", "ds/roll", "--revision", "7")).Error);

        // Already done: one line, exit 0.
        Assert.Equal("daemon set \"roll\" successfully rolled out\n", await hdctl.OkAsync("rollout", "status", "ds/roll"));
        var revisions = await hdctl.RunAsync("get", "controllerrevisions");
        Assert.Equal(["NAME", "CONTROLLER", "REVISION", "AGE"], revisions.Row("NAME")!);
        var hashes = (await hdctl.JsonAsync("get", "pods", "-l", "app=roll")).AsArray().Select(p => p!["metadata"]!["labels"]!["controller-revision-hash"]!.GetValue<string>()).Distinct();
        Assert.Equal(["daemonset.apps/roll", "2"], revisions.Row($"roll-{Assert.Single(hashes)}")![1..3]);
    }

    [Fact]
    public async Task RollingUpdate_PercentMaxUnavailable_TwoOfThreeAtATime()
    {
        await using var tags = new LocalImageTags();
        var v2 = await tags.TagAsync("v2");
        var (cluster, nodes) = await StartAsync("pct", Manifest("pct", strategy: "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 50%}}"), "pct");
        await using var _ = cluster;
        await using var monitor = RolloutMonitor.Start(cluster, "pct", nodes);

        Assert.Equal("daemonset.apps/pct image updated\n", await cluster.Hdctl.OkAsync("set", "image", "ds/pct", $"main={v2}"));
        await RolloutStatusAsync(cluster.Hdctl, "pct");

        // 50% of 3 rounds up to 2: two nodes go at once, never the third.
        Assert.True(monitor.MaxNodesWithoutAvailablePod == 2, monitor.Describe());
        Assert.All((await ImagesByPodAsync(cluster.Hdctl, "pct")).Values, image => Assert.Equal(v2, image));
    }

    [Fact]
    public async Task RollingUpdate_MaxSurgeOne_OldAndNewSideBySide_NeverANodeWithoutAnAvailablePod()
    {
        await using var tags = new LocalImageTags();
        var v2 = await tags.TagAsync("v2");
        var (cluster, nodes) = await StartAsync("surge", Manifest("surge", strategy: "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}"), "surge");
        await using var _ = cluster;
        await using var monitor = RolloutMonitor.Start(cluster, "surge", nodes);
        var sideBySide = false;
        using var stop = new CancellationTokenSource();
        var docker = Task.Run(async () =>
        {
            // Two containers of the daemon on one host for a moment, as the engine shows it.
            while (!stop.IsCancellationRequested)
            {
                foreach (var node in nodes)
                {
                    sideBySide |= (await cluster.Docker.RunningAsync(node)).Count >= 2;
                }
            }
        }, TestContext.Current.CancellationToken);

        await cluster.Hdctl.OkAsync("set", "image", "ds/surge", $"*={v2}");
        await RolloutStatusAsync(cluster.Hdctl, "surge");
        await stop.CancelAsync();
        await docker;

        Assert.True(monitor.MaxNodesWithoutAvailablePod == 0, monitor.Describe());
        Assert.True(monitor.MaxLivePodsOnANode == 2, monitor.Describe());
        Assert.True(sideBySide, "never saw two containers of the daemon on one node");
        foreach (var node in nodes)
        {
            await cluster.WaitForRunningAsync(node, "DaemonSet/surge", 1);
        }

        Assert.All((await ImagesByPodAsync(cluster.Hdctl, "surge")).Values, image => Assert.Equal(v2, image));
    }

    [Fact]
    public async Task RollingUpdate_MinReadySeconds_NextNodeOnlyOnceTheNewPodWasReadyThatLong()
    {
        await using var tags = new LocalImageTags();
        var v2 = await tags.TagAsync("v2");
        var (cluster, nodes) = await StartAsync("minready", Manifest("minready", minReadySeconds: 2), "minready");
        await using var _ = cluster;
        await using var monitor = RolloutMonitor.Start(cluster, "minready", nodes);

        await cluster.Hdctl.OkAsync("set", "image", "ds/minready", $"main={v2}");
        var status = await RolloutStatusAsync(cluster.Hdctl, "minready");

        Assert.Contains("ready, not yet available", status, StringComparison.Ordinal);
        var deletions = monitor.Deletions.OrderBy(d => d.At).ToList();
        Assert.Equal(3, deletions.Count);
        for (var i = 1; i < deletions.Count; i++)
        {
            // The pod that replaced the previous node's must have been ready for 2 s before this node's old pod goes.
            var previousNode = deletions[i - 1].Node;
            var replacementReady = monitor.ReadySince.Values.Where(r => r.Node == previousNode).Max(r => r.At);
            Assert.True(deletions[i].At >= replacementReady.AddSeconds(2), $"{deletions[i]} came before {previousNode}'s pod ({replacementReady:O}) was available\n{monitor.Describe()}");
        }
    }

    [Fact]
    public async Task BrokenImage_StopsAtMaxUnavailable_UndoRecoversWithoutRestartingTheOthers()
    {
        await using var tags = new LocalImageTags();
        var (cluster, nodes) = await StartAsync("broken", Manifest("broken"), "broken");
        await using var _ = cluster;
        var hdctl = cluster.Hdctl;
        var before = await ContainersByNodeAsync(cluster, nodes);
        var podsBefore = await ImagesByPodAsync(hdctl, "broken");
        await using var monitor = RolloutMonitor.Start(cluster, "broken", nodes);

        await hdctl.OkAsync("set", "image", "ds/broken", $"main={tags.Missing}");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await hdctl.OkAsync("get", "events")).Contains("RollingUpdateStalled", StringComparison.Ordinal),
            "the stalled rolling update's event", s_rollout);
        var stuck = await hdctl.RunAsync("rollout", "status", "ds/broken", "--timeout", "2s");
        Assert.Equal(1, stuck.ExitCode);
        Assert.Equal("error: timed out waiting for the condition\n", stuck.Error);
        Assert.StartsWith("Waiting for daemon set \"broken\" rollout to finish: 1 out of 3 new pods have been updated...\n", stuck.Output, StringComparison.Ordinal);
        Assert.Contains("not ready: ErrImageNeverPull", stuck.Output, StringComparison.Ordinal);
        Assert.Contains("  rolling update stalled at maxUnavailable=1: updated pods are failing on 1 node: ", stuck.Output, StringComparison.Ordinal);
        Assert.Contains("(\"hdctl rollout undo daemonset/broken\" goes back to the previous revision)", stuck.Output, StringComparison.Ordinal);
        var brokenNode = Assert.Single(monitor.Deletions).Node;
        Assert.Equal(1, monitor.MaxNodesWithoutAvailablePod);
        Assert.Equal(2, (await ImagesByPodAsync(hdctl, "broken")).Count(p => p.Value == "busybox:latest"));

        Assert.Equal("daemonset.apps/broken rolled back\n", await hdctl.OkAsync("rollout", "undo", "ds/broken"));
        await RolloutStatusAsync(hdctl, "broken");
        await DaemonSetState.WaitForAsync(hdctl, "broken", DaemonSetState.Settled(3, generation: 3));

        // The reference's e2e test 7: pods that kept the old image keep their name and their container.
        var after = await ContainersByNodeAsync(cluster, nodes);
        foreach (var node in nodes.Where(n => n != brokenNode))
        {
            Assert.Equal(before[node], after[node]);
        }

        Assert.NotEqual(before[brokenNode], after[brokenNode]);
        var podsAfter = await ImagesByPodAsync(hdctl, "broken");
        Assert.Equal(2, podsAfter.Keys.Intersect(podsBefore.Keys).Count());
        Assert.All(podsAfter.Values, image => Assert.Equal("busybox:latest", image));
        Assert.Equal("daemonset.apps/broken \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n", await hdctl.OkAsync("rollout", "history", "ds/broken"));
        Assert.Contains("Warning   RollingUpdateStalled   daemonset/broken", await hdctl.OkAsync("get", "events"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnDelete_NothingChangesUntilAPodIsDeleted()
    {
        await using var tags = new LocalImageTags();
        var v2 = await tags.TagAsync("v2");
        var (cluster, nodes) = await StartAsync("ondelete", Manifest("ondelete", strategy: "{type: OnDelete}"), "ondelete");
        await using var _ = cluster;
        var hdctl = cluster.Hdctl;
        var before = await ContainersByNodeAsync(cluster, nodes);
        var podsBefore = await ImagesByPodAsync(hdctl, "ondelete");

        await hdctl.OkAsync("set", "image", "ds/ondelete", $"main={v2}");
        await DaemonSetState.WaitForAsync(hdctl, "ondelete", new DaemonSetState(2, 2, 3, 3, 3, 0, 3, 0, 0));
        await AsyncTestHelpers.WaitUntilAsync(async () => (await hdctl.OkAsync("rollout", "history", "ds/ondelete")).Contains("\n2 ", StringComparison.Ordinal),
            "revision 2 in the history");
        Assert.Equal(podsBefore, await ImagesByPodAsync(hdctl, "ondelete"));
        Assert.Equal(before, await ContainersByNodeAsync(cluster, nodes));
        var status = await hdctl.RunAsync("rollout", "status", "ds/ondelete");
        Assert.Equal((1, "error: rollout status is only available for RollingUpdate strategy type\n"), (status.ExitCode, status.Error));

        var victim = podsBefore.Keys.First();
        await hdctl.OkAsync("delete", "pod", victim);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await ImagesByPodAsync(hdctl, "ondelete")).Count(p => p.Value == v2) == 1, "a new pod of the new template");
        await DaemonSetState.WaitForAsync(hdctl, "ondelete", new DaemonSetState(2, 2, 3, 3, 3, 1, 3, 0, 0));
        var pods = await ImagesByPodAsync(hdctl, "ondelete");
        Assert.Equal(2, pods.Count(p => p.Value == "busybox:latest" && podsBefore.ContainsKey(p.Key)));
    }

    [Fact]
    public async Task History_UndoToRevision_Cleanup_RestartAndTheCliMessages()
    {
        await using var tags = new LocalImageTags();
        var images = new List<string> { "busybox:latest" };
        for (var i = 2; i <= 4; i++)
        {
            images.Add(await tags.TagAsync($"v{i}"));
        }

        var (cluster, _) = await StartAsync("hist", Manifest("hist", historyLimit: 2), "hist");
        await using var __ = cluster;
        var hdctl = cluster.Hdctl;
        foreach (var image in images.Skip(1))
        {
            await hdctl.OkAsync("set", "image", "ds/hist", $"main={image}");
            await RolloutStatusAsync(hdctl, "hist");
        }

        // Two old revisions kept besides the current one: revision 1 went.
        Assert.Equal("daemonset.apps/hist \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n4         <none>\n\n", await hdctl.OkAsync("rollout", "history", "ds/hist"));
        Assert.Equal("", await hdctl.OkAsync("set", "image", "ds/hist", $"main={images[3]}"));
        Assert.Equal("error: daemonsets.apps/hist unable to find container named \"other\"\n", (await hdctl.RunAsync("set", "image", "ds/hist", "other=x")).Error);
        Assert.Equal("error: unable to find specified revision 9 in history\n", (await hdctl.RunAsync("rollout", "undo", "ds/hist", "--to-revision", "9")).Error);
        Assert.Equal("daemonset.apps/hist skipped rollback (current template already matches revision 4)\n", await hdctl.OkAsync("rollout", "undo", "ds/hist", "--to-revision", "4"));
        Assert.Equal("error: daemonsets.apps \"hist\" pausing is not supported\n", (await hdctl.RunAsync("rollout", "pause", "ds/hist")).Error);
        Assert.Equal("error: daemonsets.apps \"hist\" resuming is not supported\n", (await hdctl.RunAsync("rollout", "resume", "ds/hist")).Error);
        Assert.Equal("Error from server (NotFound): daemonsets.apps \"nope\" not found\n", (await hdctl.RunAsync("rollout", "pause", "ds/nope")).Error);
        Assert.Equal("Error from server (NotFound): daemonsets.apps \"nope\" not found\n", (await hdctl.RunAsync("rollout", "status", "ds/nope")).Error);

        Assert.Equal("daemonset.apps/hist rolled back\n", await hdctl.OkAsync("rollout", "undo", "ds/hist", "--to-revision", "2"));
        await RolloutStatusAsync(hdctl, "hist");
        Assert.All((await ImagesByPodAsync(hdctl, "hist")).Values, image => Assert.Equal(images[1], image));
        Assert.Equal("daemonset.apps/hist \nREVISION  CHANGE-CAUSE\n3         <none>\n4         <none>\n5         <none>\n\n", await hdctl.OkAsync("rollout", "history", "ds/hist"));
        Assert.Contains($"    Image:\t{images[1]}\n", await hdctl.OkAsync("rollout", "history", "ds/hist", "--revision", "5"), StringComparison.Ordinal);

        // Plain undo goes back to the revision before the newest.
        Assert.Equal("daemonset.apps/hist rolled back\n", await hdctl.OkAsync("rollout", "undo", "ds/hist"));
        await RolloutStatusAsync(hdctl, "hist");
        Assert.All((await ImagesByPodAsync(hdctl, "hist")).Values, image => Assert.Equal(images[3], image));

        var podsBefore = await ImagesByPodAsync(hdctl, "hist");
        Assert.Equal("daemonset.apps/hist restarted\n", await hdctl.OkAsync("rollout", "restart", "ds/hist"));
        await RolloutStatusAsync(hdctl, "hist");
        var ds = await hdctl.JsonAsync("get", "ds", "hist");
        Assert.NotNull(ds["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
        Assert.Empty((await ImagesByPodAsync(hdctl, "hist")).Keys.Intersect(podsBefore.Keys));
        Assert.Equal(3, (await hdctl.JsonAsync("get", "controllerrevisions")).AsArray().Count);
    }
}
