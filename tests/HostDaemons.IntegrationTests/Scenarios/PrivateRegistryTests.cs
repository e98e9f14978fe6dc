using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Images from a registry that wants a login: refused without <c>imagePullSecrets</c>, pulled and run with a
/// <c>kubernetes.io/dockerconfigjson</c> secret created by <c>hdctl create secret docker-registry</c>.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class PrivateRegistryTests
{
    private static string Manifest(string image, bool withPullSecret) => $$"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: private
        spec:
          selector:
            matchLabels: {app: private}
          template:
            metadata:
              labels: {app: private}
            spec:
              terminationGracePeriodSeconds: 2
              imagePullSecrets: {{(withPullSecret ? "[{name: regcred}]" : "[]")}}
              containers:
              - name: main
                image: {{image}}
                command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"]
        """;

    [Fact]
    public async Task PrivateImage_WithoutThenWithImagePullSecrets_PullRefusedThenRuns()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N")[..12];
        await using var registry = await TestRegistry.StartAsync("alice", password);
        var image = await registry.PushAsync("busybox:latest", "private/busybox", "1");
        Assert.False(await registry.HasLocalImageAsync(image));
        var node = "private-" + Guid.NewGuid().ToString("N")[..6];
        await using var cluster = await TestCluster.StartAsync(node);

        var anonymous = await cluster.Hdctl.RunWithInputAsync(Manifest(image, withPullSecret: false), "apply", "-f", "-");
        Assert.Equal("daemonset.apps/private created\n", anonymous.Output.ReplaceLineEndings("\n"));
        await AsyncTestHelpers.WaitUntilAsync(
            async () => PodStatus(await cluster.Hdctl.RunAsync("get", "pods")) is "ErrImagePull" or "ImagePullBackOff",
            "the pod to show that its image cannot be pulled anonymously", describe: async () => (await cluster.Hdctl.RunAsync("get", "pods")).Output + registry.Log());
        Assert.False(await registry.HasLocalImageAsync(image));

        var created = await cluster.Hdctl.OkAsync("create", "secret", "docker-registry", "regcred",
            $"--docker-server={registry.Host}", "--docker-username=alice", $"--docker-password={password}");
        Assert.Equal("secret/regcred created\n", created.ReplaceLineEndings("\n"));
        var secrets = await cluster.Hdctl.RunAsync("get", "secrets");
        Assert.Equal(["regcred", "kubernetes.io/dockerconfigjson", "1"], secrets.Row("regcred")?[..3] ?? []);

        // What get -o yaml prints applies back: the first apply only adds the last-applied annotation (with kubectl's
        // warning, as the secret was made by create), the second changes nothing, so the data survives YAML both ways.
        var yaml = await cluster.Hdctl.OkAsync("get", "secret", "regcred", "-o", "yaml");
        var annotated = await cluster.Hdctl.RunWithInputAsync(yaml, "apply", "-f", "-");
        Assert.Equal("secret/regcred configured\n", annotated.Output.ReplaceLineEndings("\n"));
        Assert.Contains("is missing the kubectl.kubernetes.io/last-applied-configuration annotation", annotated.Error, StringComparison.Ordinal);
        var reapplied = await cluster.Hdctl.RunWithInputAsync(yaml, "apply", "-f", "-");
        Assert.Equal("secret/regcred unchanged\n", reapplied.Output.ReplaceLineEndings("\n"));

        var configured = await cluster.Hdctl.RunWithInputAsync(Manifest(image, withPullSecret: true), "apply", "-f", "-");
        Assert.Equal("daemonset.apps/private configured\n", configured.Output.ReplaceLineEndings("\n"));

        await cluster.WaitForRunningAsync(node, "DaemonSet/private", 1, TimeSpan.FromSeconds(60));
        Assert.True(await registry.HasLocalImageAsync(image));
        await AsyncTestHelpers.WaitUntilAsync(
            async () => PodStatus(await cluster.Hdctl.RunAsync("get", "pods")) == "Running",
            "get pods to show the pod running");

        Assert.Equal("secret \"regcred\" deleted\n", (await cluster.Hdctl.OkAsync("delete", "secret", "regcred")).ReplaceLineEndings("\n"));
        Assert.Equal(1, (await cluster.Hdctl.RunAsync("get", "secret", "regcred")).ExitCode);
    }

    /// <summary>The STATUS of the only pod in a <c>get pods</c> table, or null while there is not exactly one.</summary>
    private static string? PodStatus(HdctlResult pods)
    {
        var rows = pods.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(line => System.Text.RegularExpressions.Regex.Split(line.Trim(), @"\s{2,}"))
            .Where(cells => cells[0].StartsWith("private-", StringComparison.Ordinal))
            .ToList();
        return rows.Count == 1 ? rows[0][2] : null;
    }
}
