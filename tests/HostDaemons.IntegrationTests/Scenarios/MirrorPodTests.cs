using Grpc.Core;
using HostDaemons.Agent;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.IntegrationTests.Infrastructure;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Options;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Static pods seen through the control plane: a manifest dropped on a host shows as a mirror pod with its live status,
/// deleting the mirror brings it back without touching the container, and no node can mirror another's pods.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class MirrorPodTests
{
    private static string Manifest(string name) => TestManifests.StaticPod(name, command: $"echo static {name} up; {TestManifests.SleepUntilTerm}");

    private static string ManifestDir(TestCluster cluster, string node) => Path.Combine(cluster.Root, "manifests", node);

    private static async Task<PodState?> MirrorAsync(Hdctl hdctl, string name) =>
        (await PodState.ListAsync(hdctl, "-A")).FirstOrDefault(p => p.Name == name);

    [Fact]
    public async Task StaticPod_MirroredWithStatus_SurvivesDelete_AndNoNodeMirrorsAnothersPods()
    {
        var nodes = TestManifests.Nodes("mirror", 2);
        var (a, b) = (nodes[0], nodes[1]);
        await using var cluster = await TestCluster.StartAsync();
        Directory.CreateDirectory(ManifestDir(cluster, a));
        await cluster.AddNodeAsync(a);
        await cluster.AddNodeAsync(b);
        var hdctl = cluster.Hdctl;
        var mirrorName = $"web-{a}";

        await File.WriteAllTextAsync(Path.Combine(ManifestDir(cluster, a), "web.yaml"), Manifest("web"), TestContext.Current.CancellationToken);

        // The mirror shows the static pod's live status.
        await AsyncTestHelpers.WaitUntilAsync(async () => (await MirrorAsync(hdctl, mirrorName))?.Phase == "Running", "the mirror pod to show Running");
        var container = Assert.Single(await cluster.Docker.RunningAsync(a));
        Assert.Equal("static", container.Labels["io.hostdaemons.owner"]);
        var mirror = await hdctl.JsonAsync("get", "pod", mirrorName);
        var metadata = mirror["metadata"]!;
        var uid = metadata["uid"]!.GetValue<string>();
        Assert.Equal(uid, container.Labels["io.hostdaemons.pod-uid"]);
        Assert.Equal(uid, metadata["annotations"]!["kubernetes.io/config.mirror"]!.GetValue<string>());
        Assert.Equal(uid, metadata["annotations"]!["kubernetes.io/config.hash"]!.GetValue<string>());
        var owner = metadata["ownerReferences"]!.AsArray().Single()!;
        Assert.Equal(("Node", a, true), (owner["kind"]!.GetValue<string>(), owner["name"]!.GetValue<string>(), owner["controller"]!.GetValue<bool>()));
        Assert.Equal(a, mirror["spec"]!["nodeName"]!.GetValue<string>());
        Assert.Contains("static web up", await hdctl.OkAsync("logs", mirrorName), StringComparison.Ordinal);

        // --field-selector spec.nodeName lists the node's pods, static ones included.
        var onA = await hdctl.RunAsync("get", "pods", "--field-selector", $"spec.nodeName={a}");
        Assert.Equal(0, onA.ExitCode);
        Assert.Equal([mirrorName, "1/1", "Running"], onA.Row(mirrorName)![..3]);
        var onB = await hdctl.RunAsync("get", "pods", "--field-selector", $"spec.nodeName={b}");
        Assert.Equal(("", "No resources found in default namespace.\n"), (onB.Output, onB.Error));
        var unsupported = await hdctl.RunAsync("get", "pods", "--field-selector", "spec.host=x");
        Assert.Equal(
            "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"spec.host=x\": field label not supported: spec.host\n",
            unsupported.Error);

        // Deleting the mirror only brings it back: same uid, the container untouched, and hdctl says why.
        var deleted = await hdctl.RunAsync("delete", "pod", mirrorName);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal($"pod \"{mirrorName}\" deleted\n", deleted.Output);
        Assert.Equal(
            $"Warning: pod default/{mirrorName} is the mirror of a static pod on node {a}: it is recreated, and the pod keeps running until its manifest file is removed from that host\n",
            deleted.Error);
        var back = await MirrorAsync(hdctl, mirrorName);
        Assert.NotNull(back);
        Assert.Equal((uid, "Running", false), (back.Uid, back.Phase, back.Terminating));
        Assert.Equal(container.ID, Assert.Single(await cluster.Docker.RunningAsync(a)).ID);

        // Changing a mirror through the API is refused.
        var labelled = await hdctl.RunAsync("label", "pod", mirrorName, "x=y");
        Assert.Equal($"Error from server (Forbidden): pods \"{mirrorName}\" is forbidden: mirror pods are created by the agent of their node only\n", labelled.Error);

        // Node b's identity cannot mirror node a's pod.
        var forged = new Pod
        {
            Metadata = new ObjectMeta { Name = mirrorName, Namespace = "default", Uid = "forged" },
            Spec = new PodSpec { NodeName = a, Containers = { new Container { Name = "main", Image = "busybox:latest" } } },
        };
        using var asB = new NodeClientFactory(Options.Create(new AgentOptions { Server = cluster.ControlPlane.Url, NodeName = b }));
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await asB.Client.SyncStaticPodsAsync(new() { Pods = { forged } }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal($"pods \"{mirrorName}\" is forbidden: node \"{b}\" can only mirror its own static pods, not one bound to node \"{a}\"", refused.Status.Detail);
        Assert.Equal(uid, (await MirrorAsync(hdctl, mirrorName))!.Uid);

        // A file the agent cannot use shows on the node; removing the manifest removes the mirror.
        await File.WriteAllTextAsync(Path.Combine(ManifestDir(cluster, a), "bad.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: main\n    imgae: busybox\n",
            TestContext.Current.CancellationToken);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await hdctl.OkAsync("describe", "node", a)).Contains("InvalidManifest", StringComparison.Ordinal),
            "describe node to show the invalid manifest");
        var described = await hdctl.OkAsync("describe", "node", a);
        Assert.Contains("StaticPodManifestsValid", described, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:8", described, StringComparison.Ordinal);
        File.Delete(Path.Combine(ManifestDir(cluster, a), "web.yaml"));
        await AsyncTestHelpers.WaitUntilAsync(async () => await MirrorAsync(hdctl, mirrorName) is null, "the mirror pod to go with its manifest");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Docker.ContainersAsync(a)).Count == 0, "the static pod's container to go");
    }
}
