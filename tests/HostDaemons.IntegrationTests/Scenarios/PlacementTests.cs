using System.Diagnostics;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Placement on three real agents: tolerations of tainted control-plane nodes (seed 003), node affinity (seed 004, Gt
/// and Lt), taints added under running pods, cordon, pod affinity and anti-affinity, and the placement preview.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class PlacementTests
{
    private const string Owner = "DaemonSet/";

    /// <summary>A busybox DaemonSet selected by <c>app: NAME</c>, with <paramref name="podSpec"/> (indented YAML lines) in its pod spec.</summary>
    private static string Daemon(string name, string podSpec = "", string labels = "") => TestManifests.Daemon(name, labels, podSpec: podSpec);

    private static async Task<string> ApplyAsync(Hdctl hdctl, string manifest) => (await hdctl.RunWithInputAsync(manifest, "apply", "-f", "-")).Output;

    /// <summary>The nodes the DaemonSet's live (not terminating) pods are on, sorted.</summary>
    private static async Task<string[]> NodesOfAsync(Hdctl hdctl, string app, string @namespace = "default") =>
        [.. (await PodState.ListAsync(hdctl, "-n", @namespace, "-l", $"app={app}")).Where(p => !p.Terminating).Select(p => p.Node).Order(StringComparer.Ordinal)];

    private static Task WaitForNodesAsync(Hdctl hdctl, string app, params string[] nodes) =>
        AsyncTestHelpers.WaitUntilAsync(async () => (await NodesOfAsync(hdctl, app)).SequenceEqual(nodes.Order(StringComparer.Ordinal)),
            $"{app} to run on exactly [{string.Join(", ", nodes)}]", null, async () => "now on: " + string.Join(", ", await NodesOfAsync(hdctl, app)));

    [Fact]
    public async Task Seed003_TaintedMasterNode_TheTolerationRunsItThereAndOthersStayOff()
    {
        var nodes = TestManifests.Nodes("seed3");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;
        var master = nodes[0];

        Assert.Equal($"node/{master} tainted\n", await hdctl.OkAsync("taint", "node", master, "node-role.kubernetes.io/master:NoSchedule"));
        var again = await hdctl.RunAsync("taint", "node", master, "node-role.kubernetes.io/master:NoSchedule");
        Assert.Equal((1, $"error: node {master} already has node-role.kubernetes.io/master taint(s) with same effect(s) and --overwrite is false\n"), (again.ExitCode, again.Error));
        var missing = await hdctl.RunAsync("taint", "node", master, "dedicated:NoSchedule-");
        Assert.Equal((1, "error: taint \"dedicated:NoSchedule\" not found\n"), (missing.ExitCode, missing.Error));

        await hdctl.OkAsync("apply", "-f", RepositoryFiles.Path("examples", "fluentd", "fluentd-elasticsearch.yaml"));
        await ApplyAsync(hdctl, Daemon("plain"));

        await DaemonSetState.WaitForAsync(hdctl, "fluentd-elasticsearch", DaemonSetState.Settled(3), "kube-system");
        await cluster.WaitForRunningAsync(master, Owner + "fluentd-elasticsearch", 1);
        await DaemonSetState.WaitForAsync(hdctl, "plain", DaemonSetState.Settled(2));
        await WaitForNodesAsync(hdctl, "plain", nodes[1], nodes[2]);
        Assert.Contains("node-role.kubernetes.io/master:NoSchedule", await hdctl.OkAsync("describe", "node", master), StringComparison.Ordinal);

        var explained = await hdctl.RunAsync("explain-placement", "ds/plain");
        Assert.Equal(["not run", "<none>", "taint node-role.kubernetes.io/master:NoSchedule not tolerated"], explained.Row(master)![1..]);
        Assert.Equal("run", explained.Row(nodes[1])![1]);

        // Removing the taint by key alone lets the plain daemon onto the master.
        Assert.Equal($"node/{master} untainted\n", await hdctl.OkAsync("taint", "node", master, "node-role.kubernetes.io/master-"));
        await DaemonSetState.WaitForAsync(hdctl, "plain", DaemonSetState.Settled(3));
        await cluster.WaitForRunningAsync(master, Owner + "plain", 1);
    }

    [Fact]
    public async Task Seed004_NodeAffinityInTwoZonesWithPreferredTerm_RunsInThoseZonesOnly()
    {
        var nodes = TestManifests.Nodes("seed4");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;
        for (var i = 0; i < 3; i++)
        {
            await hdctl.OkAsync("label", "node", nodes[i], $"kubernetes.io/e2e-az-name=e2e-az{i + 1}");
        }

        await hdctl.OkAsync("label", "node", nodes[2], "another-node-label-key=another-node-label-value");

        Assert.Equal("daemonset.apps/with-node-affinity created\n", await hdctl.OkAsync("apply", "-f", RepositoryFiles.Path("examples", "placement", "node-affinity.yaml")));

        await DaemonSetState.WaitForAsync(hdctl, "with-node-affinity", DaemonSetState.Settled(2));
        await WaitForNodesAsync(hdctl, "with-node-affinity", nodes[0], nodes[1]);
        await cluster.WaitForRunningAsync(nodes[2], Owner + "with-node-affinity", 0);
        var describe = await hdctl.OkAsync("describe", "ds", "with-node-affinity");
        Assert.Contains("Term 0:  kubernetes.io/e2e-az-name in [e2e-az1, e2e-az2]", describe, StringComparison.Ordinal);
        Assert.Contains("Weight 1:  another-node-label-key in [another-node-label-value]", describe, StringComparison.Ordinal);
        Assert.Contains("Node Placement:  3 nodes: 2 run, 1 not run (nodeAffinity 1)", describe, StringComparison.Ordinal);

        // The node the preferred term favours joins only once it is in one of the required zones.
        await hdctl.OkAsync("label", "node", nodes[2], "kubernetes.io/e2e-az-name=e2e-az2", "--overwrite");
        await DaemonSetState.WaitForAsync(hdctl, "with-node-affinity", DaemonSetState.Settled(3));
        await cluster.WaitForRunningAsync(nodes[2], Owner + "with-node-affinity", 1);
    }

    [Fact]
    public async Task NodeAffinityGtAndLt_NumericLabel_RunsOnlyInTheRangeAndFollowsRelabels()
    {
        var nodes = TestManifests.Nodes("gtlt");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;
        string[] cores = ["2", "4", "16"];
        for (var i = 0; i < 3; i++)
        {
            await hdctl.OkAsync("label", "node", nodes[i], $"cores={cores[i]}");
        }

        await ApplyAsync(hdctl, Daemon("midsize", """
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - {key: cores, operator: Gt, values: ["3"]}
                    - {key: cores, operator: Lt, values: ["8"]}
            """));

        await WaitForNodesAsync(hdctl, "midsize", nodes[1]);
        await DaemonSetState.WaitForAsync(hdctl, "midsize", DaemonSetState.Settled(1));
        var explained = await hdctl.RunAsync("explain-placement", "ds/midsize");
        Assert.Equal("nodeAffinity cores gt [3] not matched", explained.Row(nodes[0])![3]);
        Assert.Equal("nodeAffinity cores lt [8] not matched", explained.Row(nodes[2])![3]);

        await hdctl.OkAsync("label", "node", nodes[1], "cores=8", "--overwrite");
        await hdctl.OkAsync("label", "node", nodes[0], "cores=7", "--overwrite");
        await WaitForNodesAsync(hdctl, "midsize", nodes[0]);
        await cluster.WaitForRunningAsync(nodes[1], Owner + "midsize", 0);
        await cluster.WaitForRunningAsync(nodes[0], Owner + "midsize", 1);
    }

    [Fact]
    public async Task TaintsAndCordon_NoScheduleKeepsMisscheduled_NoExecuteEvicts_CordonKeeps()
    {
        var nodes = TestManifests.Nodes("taints");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;
        await ApplyAsync(hdctl, Daemon("keeper"));
        await DaemonSetState.WaitForAsync(hdctl, "keeper", DaemonSetState.Settled(3));
        var before = (await PodState.ListAsync(hdctl, "-l", "app=keeper")).ToDictionary(p => p.Node, p => p.Uid);

        // Cordon: spec.unschedulable and its taint; daemon pods tolerate it, as in Kubernetes.
        Assert.Equal($"node/{nodes[0]} cordoned\n", await hdctl.OkAsync("cordon", nodes[0]));
        Assert.Equal($"node/{nodes[0]} already cordoned\n", await hdctl.OkAsync("cordon", nodes[0]));
        var node = await hdctl.JsonAsync("get", "node", nodes[0]);
        Assert.True(node["spec"]!["unschedulable"]!.GetValue<bool>());
        Assert.Contains("node.kubernetes.io/unschedulable", node["spec"]!["taints"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("SchedulingDisabled", await hdctl.OkAsync("get", "nodes"), StringComparison.Ordinal);

        // NoSchedule added under a running pod: the pod stays, counted misscheduled, and no longer desired.
        Assert.Equal($"node/{nodes[1]} tainted\n", await hdctl.OkAsync("taint", "node", nodes[1], "dedicated=infra:NoSchedule"));
        await DaemonSetState.WaitForAsync(hdctl, "keeper", new DaemonSetState(1, 1, 2, 2, 2, 2, 2, 0, 1));

        // NoExecute: the pod is evicted, its container stopped.
        Assert.Equal($"node/{nodes[2]} tainted\n", await hdctl.OkAsync("taint", "node", nodes[2], "evict=now:NoExecute"));
        await cluster.WaitForRunningAsync(nodes[2], Owner + "keeper", 0);
        await DaemonSetState.WaitForAsync(hdctl, "keeper", new DaemonSetState(1, 1, 1, 1, 1, 1, 1, 0, 1));
        Assert.Contains("TaintManagerEviction", await hdctl.OkAsync("get", "events"), StringComparison.Ordinal);

        var after = (await PodState.ListAsync(hdctl, "-l", "app=keeper")).ToDictionary(p => p.Node, p => p.Uid);
        Assert.Equal(before[nodes[0]], after[nodes[0]]);
        Assert.Equal(before[nodes[1]], after[nodes[1]]);
        await cluster.WaitForRunningAsync(nodes[0], Owner + "keeper", 1);
        await cluster.WaitForRunningAsync(nodes[1], Owner + "keeper", 1);

        Assert.Equal($"node/{nodes[0]} uncordoned\n", await hdctl.OkAsync("uncordon", nodes[0]));
        Assert.Equal($"node/{nodes[0]} already uncordoned\n", await hdctl.OkAsync("uncordon", nodes[0]));
        Assert.Equal($"node/{nodes[2]} untainted\n", await hdctl.OkAsync("taint", "node", nodes[2], "evict:NoExecute-"));
        await DaemonSetState.WaitForAsync(hdctl, "keeper", new DaemonSetState(1, 1, 2, 2, 2, 2, 2, 0, 1));
    }

    [Fact]
    public async Task NoExecuteTolerationSeconds_EvictedOnlyAfterThemAndNotRecreated()
    {
        var nodes = TestManifests.Nodes("tolsec");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;
        await ApplyAsync(hdctl, Daemon("patient", """
            tolerations:
            - {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
            """));
        await DaemonSetState.WaitForAsync(hdctl, "patient", DaemonSetState.Settled(3));

        var tainted = Stopwatch.StartNew();
        await hdctl.OkAsync("taint", "node", nodes[0], "maintenance=soon:NoExecute");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await NodesOfAsync(hdctl, "patient")).Length == 2, "the pod on the tainted node evicted");
        Assert.True(tainted.Elapsed >= TimeSpan.FromSeconds(1.9), $"evicted after {tainted.Elapsed}, before its 2 s toleration ended");

        await cluster.WaitForRunningAsync(nodes[0], Owner + "patient", 0);
        await DaemonSetState.WaitForAsync(hdctl, "patient", DaemonSetState.Settled(2));
        Assert.Equal([nodes[1], nodes[2]], await NodesOfAsync(hdctl, "patient"));
        Assert.StartsWith("taint maintenance=soon:NoExecute tolerated for 2s only", (await hdctl.RunAsync("explain-placement", "ds/patient")).Row(nodes[0])![3],
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodAffinity_DaemonFollowsTheLabelledPodFromNodeToNode()
    {
        var nodes = TestManifests.Nodes("follow");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;
        await hdctl.OkAsync("label", "node", nodes[0], "secure=yes");
        await ApplyAsync(hdctl, Daemon("secured", "nodeSelector: {secure: \"yes\"}", labels: "security: S1"));
        await hdctl.OkAsync("apply", "-f", RepositoryFiles.Path("examples", "placement", "pod-affinity.yaml"));

        await WaitForNodesAsync(hdctl, "secured", nodes[0]);
        await WaitForNodesAsync(hdctl, "with-pod-affinity", nodes[0]);
        await cluster.WaitForRunningAsync(nodes[0], Owner + "with-pod-affinity", 1);
        var explained = await hdctl.RunAsync("explain-placement", "ds/with-pod-affinity");
        Assert.Equal($"podAffinity security in (S1) not matched: no such pod where kubernetes.io/hostname={nodes[1]}", explained.Row(nodes[1])![3]);

        // Relabelling moves the S1 pod to the third node; the follower goes with it.
        await hdctl.OkAsync("label", "node", nodes[0], "secure-");
        await hdctl.OkAsync("label", "node", nodes[2], "secure=yes");
        await WaitForNodesAsync(hdctl, "secured", nodes[2]);
        await WaitForNodesAsync(hdctl, "with-pod-affinity", nodes[2]);
        await cluster.WaitForRunningAsync(nodes[2], Owner + "with-pod-affinity", 1);
        await cluster.WaitForRunningAsync(nodes[0], Owner + "with-pod-affinity", 0);
        await DaemonSetState.WaitForAsync(hdctl, "with-pod-affinity", DaemonSetState.Settled(1));
    }

    [Fact]
    public async Task PodAntiAffinity_DaemonLeavesTheNodeTheAvoidedPodRunsOn()
    {
        var nodes = TestManifests.Nodes("avoid");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;
        await ApplyAsync(hdctl, Daemon("avoider", """
            affinity:
              podAntiAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: noisy}}
                  topologyKey: kubernetes.io/hostname
            """));
        await DaemonSetState.WaitForAsync(hdctl, "avoider", DaemonSetState.Settled(3));

        await hdctl.OkAsync("label", "node", nodes[1], "noisy=yes");
        await ApplyAsync(hdctl, Daemon("noisy", "nodeSelector: {noisy: \"yes\"}"));

        await WaitForNodesAsync(hdctl, "noisy", nodes[1]);
        await WaitForNodesAsync(hdctl, "avoider", nodes[0], nodes[2]);
        await cluster.WaitForRunningAsync(nodes[1], Owner + "avoider", 0);
        await DaemonSetState.WaitForAsync(hdctl, "avoider", DaemonSetState.Settled(2));
        Assert.StartsWith("podAntiAffinity app=noisy matched by pod default/noisy-", (await hdctl.RunAsync("explain-placement", "ds/avoider")).Row(nodes[1])![3],
            StringComparison.Ordinal);

        // The noisy pod goes, the avoider comes back.
        await hdctl.OkAsync("delete", "ds", "noisy");
        await WaitForNodesAsync(hdctl, "avoider", nodes);
    }

    [Fact]
    public async Task Preview_ApplyDryRunServerWide_EveryNodeWithTheRuleThatDecided()
    {
        var nodes = TestManifests.Nodes("preview");
        await using var cluster = await TestCluster.StartAsync(nodes);
        var hdctl = cluster.Hdctl;
        await hdctl.OkAsync("label", "node", nodes[0], "disk=ssd");
        await hdctl.OkAsync("label", "node", nodes[2], "disk=ssd");
        await hdctl.OkAsync("taint", "node", nodes[2], "dedicated=infra:NoSchedule");
        var manifest = Daemon("monitor", "nodeSelector: {disk: ssd}");

        var preview = await hdctl.RunWithInputAsync(manifest, "apply", "-f", "-", "--dry-run=server", "-o", "wide");

        Assert.Equal(0, preview.ExitCode);
        var lines = preview.Output.Split('\n');
        Assert.Equal("daemonset.apps/monitor created (server dry run)", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.Equal("daemonset.apps/monitor: 3 nodes: 1 run, 2 not run (nodeSelector 1, taint 1)", lines[2]);
        Assert.Equal(["NODE", "PLACEMENT", "PODS", "REASON"], preview.Row("NODE")!);
        Assert.Equal(["run", "<none>", "<none>"], preview.Row(nodes[0])![1..]);
        Assert.Equal(["not run", "<none>", "nodeSelector disk=ssd not matched"], preview.Row(nodes[1])![1..]);
        Assert.Equal(["not run", "<none>", "taint dedicated=infra:NoSchedule not tolerated"], preview.Row(nodes[2])![1..]);
        Assert.Equal("Error from server (NotFound): daemonsets.apps \"monitor\" not found\n", (await hdctl.RunAsync("get", "ds", "monitor")).Error);

        // Applied for real, the same rules decide, and explain-placement shows the pod each node has.
        await ApplyAsync(hdctl, manifest);
        await DaemonSetState.WaitForAsync(hdctl, "monitor", DaemonSetState.Settled(1));
        var explained = await hdctl.RunAsync("explain-placement", "ds/monitor");
        Assert.Equal("daemonset.apps/monitor: 3 nodes: 1 run, 2 not run (nodeSelector 1, taint 1)", explained.Output.Split('\n')[0]);
        var pod = Assert.Single(await PodState.ListAsync(hdctl, "-l", "app=monitor"));
        Assert.Equal(["run", pod.Name, "<none>"], explained.Row(nodes[0])![1..]);
        Assert.Contains("Node Placement:  3 nodes: 1 run, 2 not run (nodeSelector 1, taint 1)",
            await hdctl.OkAsync("describe", "ds", "monitor"), StringComparison.Ordinal);
    }
}
