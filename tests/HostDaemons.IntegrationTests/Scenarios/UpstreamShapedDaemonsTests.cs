using System.Text.Json.Nodes;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// The DaemonSets operations teams run, in their published shapes (TestData/daemons: our own manifests with the kinds
/// and pod-spec fields of node-exporter, fluent-bit, node-problem-detector, Vector and NVIDIA's device plugin) and the
/// seed's fluentd with its v1beta1 RBAC: each directory applies as it is, and every daemon runs on three nodes.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class UpstreamShapedDaemonsTests
{
    private static readonly (string Directory, string Namespace, string DaemonSet)[] s_daemons =
    [
        ("node-exporter", "monitoring", "node-exporter"),
        ("fluent-bit", "logging", "fluent-bit"),
        ("node-problem-detector", "kube-system", "node-problem-detector"),
        ("vector", "default", "vector"),
        ("nvidia-device-plugin", "kube-system", "nvidia-device-plugin-daemonset"),
    ];

    [Fact]
    public async Task ApplyDirectory_PublishedShapes_EveryDaemonRunsOnThreeNodes()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var nodes = new[] { $"daemons-1-{suffix}", $"daemons-2-{suffix}", $"daemons-3-{suffix}" };
        await using var cluster = await TestCluster.StartAsync(nodes);

        foreach (var (directory, _, _) in s_daemons)
        {
            var applied = await cluster.Hdctl.RunAsync("apply", "-f", RepositoryFiles.Path("tests", "HostDaemons.IntegrationTests", "TestData", "daemons", directory));
            Assert.True(applied.ExitCode == 0, $"apply -f {directory} failed: {applied.Error}");
            if (directory == "vector")
            {
                Assert.Contains("kustomization.yaml", applied.Error, StringComparison.Ordinal);
            }
        }

        var seed = await cluster.Hdctl.RunAsync("apply", "-f", RepositoryFiles.Path("examples", "fluentd"));
        Assert.True(seed.ExitCode == 0, $"apply -f examples/fluentd failed: {seed.Error}");
        Assert.Contains(
            "Warning: rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 ClusterRoleBinding",
            seed.Error, StringComparison.Ordinal);

        foreach (var (_, ns, name) in s_daemons.Append(("fluentd", "kube-system", "fluentd-cloud-logging")))
        {
            await AsyncTestHelpers.WaitUntilAsync(async () =>
            {
                var status = (await cluster.Hdctl.JsonAsync("get", "ds", name, "-n", ns))["status"];
                return status?["numberReady"]?.GetValue<int>() == 3 && status["desiredNumberScheduled"]?.GetValue<int>() == 3;
            }, $"daemonset {ns}/{name} to be ready on 3 nodes", TimeSpan.FromSeconds(90), async () =>
                (await cluster.Hdctl.RunAsync("get", "pods", "-n", ns, "-o", "wide")).Output
                + (await cluster.Hdctl.RunAsync("get", "events", "-n", ns)).Output);
        }

        // The headless Service lists the three node-exporter pods (host network: their nodes' addresses) once ready.
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            var slices = (JsonArray)await cluster.Hdctl.JsonAsync("get", "endpointslices", "-n", "monitoring", "-l", "kubernetes.io/service-name=node-exporter");
            var endpoints = slices.SelectMany(s => s!["endpoints"]?.AsArray() ?? []).ToList();
            return endpoints.Count == 3 && endpoints.All(e => e!["conditions"]?["ready"]?.GetValue<bool>() == true);
        }, "the node-exporter Service's EndpointSlice to list 3 ready endpoints");

        // Built-in priority classes, resolved into the pods as the Priority admission does.
        var pod = (JsonArray)await cluster.Hdctl.JsonAsync("get", "pods", "-n", "kube-system", "-l", "name=nvidia-device-plugin-ds");
        Assert.All(pod, p => Assert.Equal(2000001000, p!["spec"]!["priority"]!.GetValue<int>()));
    }
}
