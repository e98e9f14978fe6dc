using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>The seeds' fluentd DaemonSets: one container per node, with exactly their host paths and limits.</summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class FluentdSeedTests
{
    [Fact]
    public async Task FluentdSeeds_NoNodeSelector_RunOnEveryNodeWithTheirBindsAndLimits()
    {
        var nodes = new[] { "fluentd-1-" + Suffix(), "fluentd-2-" + Suffix() };
        await using var cluster = await TestCluster.StartAsync(nodes);

        await cluster.Hdctl.OkAsync("apply", "-f", RepositoryFiles.Path("examples", "fluentd"));
        foreach (var node in nodes)
        {
            await cluster.WaitForRunningAsync(node, "DaemonSet/fluentd-cloud-logging", 1);
            await cluster.WaitForRunningAsync(node, "DaemonSet/fluentd-elasticsearch", 1);
        }

        foreach (var node in nodes)
        {
            var running = await cluster.Docker.RunningAsync(node);

            // Seed 002: both host paths read-write, cpu and memory limits.
            var cloudLogging = await cluster.Docker.InspectAsync(running.Single(c => c.Labels["io.hostdaemons.owner"] == "DaemonSet/fluentd-cloud-logging").ID);
            Assert.Equal(["/var/log:/var/log", "/var/lib/docker/containers:/var/lib/docker/containers"], VolumeBinds(cloudLogging));
            Assert.Equal(200L * 1024 * 1024, cloudLogging.HostConfig!.Memory);
            Assert.Equal(100_000_000L, cloudLogging.HostConfig!.NanoCPUs);
            Assert.Contains("FLUENTD_ARGS=-q", cloudLogging.Config!.Env);
            Assert.Equal("kube-system", cloudLogging.Config!.Labels["io.hostdaemons.namespace"]);

            // Seed 003: /var/log read-write, /var/lib/docker/containers read-only, a memory limit.
            var elasticsearch = await cluster.Docker.InspectAsync(running.Single(c => c.Labels["io.hostdaemons.owner"] == "DaemonSet/fluentd-elasticsearch").ID);
            Assert.Equal(["/var/log:/var/log", "/var/lib/docker/containers:/var/lib/docker/containers:ro"], VolumeBinds(elasticsearch));
            Assert.Equal(200L * 1024 * 1024, elasticsearch.HostConfig!.Memory);
            Assert.Equal(0L, elasticsearch.HostConfig!.NanoCPUs);
            Assert.Equal(102L, elasticsearch.HostConfig!.CPUShares);
        }

        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            var ds = await cluster.Hdctl.RunAsync("get", "ds", "-n", "kube-system");
            return ds.Row("fluentd-cloud-logging")?[1..6].All(c => c == "2") == true && ds.Row("fluentd-elasticsearch")?[1..6].All(c => c == "2") == true;
        }, "both DaemonSets to report 2 2 2 2 2");
    }

    /// <summary>The binds of the pod's volumes: every container also gets its termination message file, as in Kubernetes.</summary>
    private static List<string> VolumeBinds(Docker.DotNet.Models.ContainerInspectResponse container)
    {
        var binds = container.HostConfig!.Binds;
        Assert.Single(binds, b => b.EndsWith(":/dev/termination-log", StringComparison.Ordinal));

        // Like the kubelet, the agent mounts the pod's service account token; the seeds' own volumes are the rest.
        Assert.Single(binds, b => b.EndsWith(":/var/run/secrets/kubernetes.io/serviceaccount:ro", StringComparison.Ordinal));
        return [.. binds.Where(b => !b.EndsWith(":/dev/termination-log", StringComparison.Ordinal)
            && !b.EndsWith(":/var/run/secrets/kubernetes.io/serviceaccount:ro", StringComparison.Ordinal))];
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];
}
