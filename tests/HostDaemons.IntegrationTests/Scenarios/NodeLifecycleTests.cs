using HostDaemons.Agent.ControlPlane;
using HostDaemons.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>Nodes joining, going silent, coming back and being deleted, with three real agents.</summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class NodeLifecycleTests
{
    private static readonly string s_manifest = TestManifests.Daemon("watcher");

    [Fact]
    public async Task NewNode_Registers_GetsItsPodAndShowsInGetNodes()
    {
        var (a, b, c) = Three(TestManifests.Nodes("join"));
        await using var cluster = await TestCluster.StartAsync(a, b);
        await cluster.Hdctl.RunWithInputAsync(s_manifest, "apply", "-f", "-");
        await DaemonSetState.WaitForAsync(cluster.Hdctl, "watcher", DaemonSetState.Settled(2));

        await cluster.AddNodeAsync(c, "zone=z1");
        // A node may not give itself a role (NodeRestriction): the administrator labels it, as with the kubelet.
        await cluster.Hdctl.OkAsync("label", "node", c, "node-role.kubernetes.io/edge=");

        await cluster.WaitForRunningAsync(c, "DaemonSet/watcher", 1);
        await DaemonSetState.WaitForAsync(cluster.Hdctl, "watcher", DaemonSetState.Settled(3));
        var nodes = await cluster.Hdctl.RunAsync("get", "nodes");
        Assert.StartsWith("NAME ", nodes.Output, StringComparison.Ordinal);
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION"], nodes.Row("NAME")!);
        Assert.Equal([c, "Ready", "edge"], nodes.Row(c)![..3]);
        Assert.Equal([a, "Ready", "<none>"], nodes.Row(a)![..3]);
        var wide = await cluster.Hdctl.RunAsync("get", "node", c, "-o", "wide");
        Assert.Equal(["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"], wide.Row("NAME")![5..]);
        Assert.StartsWith("docker://", wide.Row(c)![9], StringComparison.Ordinal);
        var labels = await cluster.Hdctl.RunAsync("get", "node", c, "--show-labels");
        Assert.Contains("node-role.kubernetes.io/edge=", labels.Row(c)![5], StringComparison.Ordinal);
        Assert.Contains("zone=z1", labels.Row(c)![5], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentNode_LeaseExpires_NotReadyTaintedPodsStayThenClearsOnReturn()
    {
        var (a, b, c) = Three(TestManifests.Nodes("lease"));
        await using var cluster = await TestCluster.StartAsync(a, b, c);
        var hdctl = cluster.Hdctl;
        await hdctl.RunWithInputAsync(s_manifest, "apply", "-f", "-");
        await DaemonSetState.WaitForAsync(hdctl, "watcher", DaemonSetState.Settled(3));
        var before = (await PodState.ListAsync(hdctl)).Single(p => p.Node == c);
        var container = (await cluster.Docker.RunningAsync(c)).Single();

        await cluster.Agent(c).StopAsync();

        // The test control plane's lease is 10 s.
        await AsyncTestHelpers.WaitUntilAsync(async () => (await hdctl.RunAsync("get", "nodes")).Row(c)?[1] == "NotReady",
            "the silent node to become NotReady", TimeSpan.FromSeconds(30));
        var described = await hdctl.OkAsync("describe", "node", c);
        Assert.Contains("Taints:             node.kubernetes.io/unreachable:NoExecute", described, StringComparison.Ordinal);
        await DaemonSetState.WaitForAsync(hdctl, "watcher", new DaemonSetState(1, 1, 3, 3, 2, 3, 2, 1, 0));
        var during = (await PodState.ListAsync(hdctl)).Single(p => p.Node == c);
        Assert.Equal((before.Uid, false), (during.Uid, during.Ready));
        Assert.Equal(container.ID, (await cluster.Docker.RunningAsync(c)).Single().ID);

        await cluster.Agent(c).StartAsync();

        await AsyncTestHelpers.WaitUntilAsync(async () => (await hdctl.RunAsync("get", "nodes")).Row(c)?[1] == "Ready", "the node to be Ready again");
        await DaemonSetState.WaitForAsync(hdctl, "watcher", DaemonSetState.Settled(3));
        Assert.Contains("Taints:             <none>", await hdctl.OkAsync("describe", "node", c), StringComparison.Ordinal);
        Assert.Equal(before.Uid, (await PodState.ListAsync(hdctl)).Single(p => p.Node == c).Uid);
        Assert.Equal(container.ID, (await cluster.Docker.RunningAsync(c)).Single().ID);
    }

    [Fact]
    public async Task DeletedNode_PodsGoAndTheAgentStaysOut_UntilRestarted()
    {
        var (a, b, c) = Three(TestManifests.Nodes("gone"));
        await using var cluster = await TestCluster.StartAsync(a, b, c);
        var hdctl = cluster.Hdctl;
        await hdctl.RunWithInputAsync(s_manifest, "apply", "-f", "-");
        await DaemonSetState.WaitForAsync(hdctl, "watcher", DaemonSetState.Settled(3));

        Assert.Equal($"node \"{c}\" deleted\n", await hdctl.OkAsync("delete", "node", c));

        await DaemonSetState.WaitForAsync(hdctl, "watcher", DaemonSetState.Settled(2));
        Assert.DoesNotContain(await PodState.ListAsync(hdctl), p => p.Node == c);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Docker.ContainersAsync(c)).Count == 0, "the deleted node's containers to go");
        var session = cluster.Agent(c).Services.GetRequiredService<ControlPlaneSession>();
        await AsyncTestHelpers.WaitUntilAsync(() => session.IsNodeDeleted, "the agent to learn its node was deleted");
        var get = await hdctl.RunAsync("get", "node", c);
        Assert.Equal($"Error from server (NotFound): nodes \"{c}\" not found\n", get.Error);
        await cluster.WaitForRunningAsync(a, "DaemonSet/watcher", 1);

        await cluster.Agent(c).StopAsync();
        await cluster.Agent(c).StartAsync();

        await cluster.WaitForRunningAsync(c, "DaemonSet/watcher", 1);
        await DaemonSetState.WaitForAsync(hdctl, "watcher", DaemonSetState.Settled(3));
    }

    private static (string, string, string) Three(string[] nodes) => (nodes[0], nodes[1], nodes[2]);
}
