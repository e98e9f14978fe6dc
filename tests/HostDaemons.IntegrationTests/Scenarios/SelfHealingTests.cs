using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>A DaemonSet keeps its pods where they belong: on nodes that join later, and after containers are removed by hand.</summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class SelfHealingTests
{
    private const string Manifest = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: pinger
        spec:
          selector:
            matchLabels: {app: pinger}
          template:
            metadata:
              labels: {app: pinger}
            spec:
              terminationGracePeriodSeconds: 2
              containers:
              - name: main
                image: busybox:latest
                command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"]
        """;

    [Fact]
    public async Task LateNode_Registers_GetsItsDaemonPod()
    {
        var first = "late-1-" + Suffix();
        var second = "late-2-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(first);
        await cluster.Hdctl.RunWithInputAsync(Manifest, "apply", "-f", "-");
        await cluster.WaitForRunningAsync(first, "DaemonSet/pinger", 1);

        await cluster.AddNodeAsync(second);

        await cluster.WaitForRunningAsync(second, "DaemonSet/pinger", 1);
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.RunAsync("get", "ds", "pinger")).Row("pinger")?[1..6].All(c => c == "2") == true,
            "get ds to count both nodes");
    }

    [Fact]
    public async Task RemovedContainer_DockerRmForce_ComesBack()
    {
        var node = "heal-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        await cluster.Hdctl.RunWithInputAsync(Manifest, "apply", "-f", "-");
        await cluster.WaitForRunningAsync(node, "DaemonSet/pinger", 1);
        var original = (await cluster.Docker.RunningAsync(node)).Single();

        await cluster.Docker.RemoveAsync(original.ID);

        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Docker.RunningAsync(node)).Any(c => c.ID != original.ID),
            "a new container to replace the removed one");
        var replacement = (await cluster.Docker.RunningAsync(node)).Single();
        Assert.Equal(original.Labels["io.hostdaemons.pod-uid"], replacement.Labels["io.hostdaemons.pod-uid"]);
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.RunAsync("get", "pods")).Output.Contains("1/1     Running   1 ", StringComparison.Ordinal),
            "the pod to count one restart");
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];
}
