using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Namespaces as Kubernetes has them: created on first use by an apply, listed and described, and deleted with
/// everything in them: the daemon pods stop gracefully on their node, then the namespace goes.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class NamespaceTests
{
    private static string Manifest(string ns) => $$"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: pinger
          namespace: {{ns}}
        spec:
          selector:
            matchLabels: {app: pinger}
          template:
            metadata:
              labels: {app: pinger}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: busybox:latest
                command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"]
        """;

    [Fact]
    public async Task DeleteNamespace_DaemonSetAppliedIntoANewOne_PodsStopThenEverythingAndTheNamespaceGo()
    {
        var suffix = Suffix();
        var node = "ns-" + suffix;
        var ns = "team-" + suffix;
        await using var cluster = await TestCluster.StartAsync(node);

        var before = await cluster.Hdctl.RunAsync("get", "ds", "-n", ns);
        Assert.Equal((0, "", $"No resources found in {ns} namespace.\n"), (before.ExitCode, before.Output, before.Error.ReplaceLineEndings("\n")));

        var applied = await cluster.Hdctl.RunWithInputAsync(Manifest(ns), "apply", "-f", "-");
        Assert.Equal("daemonset.apps/pinger created\n", applied.Output.ReplaceLineEndings("\n"));
        await cluster.Hdctl.OkAsync("create", "secret", "docker-registry", "regcred", "-n", ns, "--docker-username=a", "--docker-password=b");
        await cluster.WaitForRunningAsync(node, "DaemonSet/pinger", 1);
        Assert.Equal(ns, (await cluster.Docker.RunningAsync(node)).Single().Labels["io.hostdaemons.namespace"]);

        var namespaces = await cluster.Hdctl.RunAsync("get", "ns");
        Assert.StartsWith("NAME", namespaces.Output, StringComparison.Ordinal);
        Assert.Equal(["STATUS", "AGE"], namespaces.Output.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);
        Assert.Equal([ns, "Active"], namespaces.Row(ns)?[..2] ?? []);
        Assert.Equal(["default", "Active"], namespaces.Row("default")?[..2] ?? []);
        Assert.Equal(["kube-system", "Active"], namespaces.Row("kube-system")?[..2] ?? []);
        var described = await cluster.Hdctl.OkAsync("describe", "ns", ns);
        Assert.Equal(
            $"Name:         {ns}\nLabels:       kubernetes.io/metadata.name={ns}\nAnnotations:  <none>\nStatus:       Active\n",
            described.ReplaceLineEndings("\n"));

        var deleted = await cluster.Hdctl.OkAsync("delete", "namespace", ns);
        Assert.Equal($"namespace \"{ns}\" deleted\n", deleted.ReplaceLineEndings("\n"));

        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Docker.ContainersAsync(node)).Count == 0,
            "the daemon pod's containers to be stopped and removed",
            describe: async () => string.Join(", ", (await cluster.Docker.ContainersAsync(node)).Select(c => $"{c.Names[0]} {c.State}")));
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Hdctl.RunAsync("get", "ns", ns)).ExitCode != 0,
            "the namespace to go once it is empty", describe: async () => (await cluster.Hdctl.RunAsync("get", "pods", "-n", ns)).Output + (await cluster.Hdctl.RunAsync("get", "ns", ns)).Output);
        var gone = await cluster.Hdctl.RunAsync("get", "ns", ns);
        Assert.Equal($"Error from server (NotFound): namespaces \"{ns}\" not found\n", gone.Error.ReplaceLineEndings("\n"));
        foreach (var kind in new[] { "ds", "pods", "secrets", "events" })
        {
            await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Hdctl.RunAsync("get", kind, "-n", ns)).Error.Contains($"No resources found in {ns} namespace.", StringComparison.Ordinal),
                $"no {kind} left in {ns}");
        }

        Assert.Equal(["default", "Active"], (await cluster.Hdctl.RunAsync("get", "ns")).Row("default")?[..2] ?? []);
    }

    [Fact]
    public async Task CreateNamespace_ThenAgain_ThenDeleteDefault_AsKubectlSaysIt()
    {
        var ns = "made-" + Suffix();
        await using var cluster = await TestCluster.StartAsync();

        var created = await cluster.Hdctl.RunAsync("create", "namespace", ns);
        var again = await cluster.Hdctl.RunAsync("create", "ns", ns);
        var protectedDefault = await cluster.Hdctl.RunAsync("delete", "ns", "default");

        Assert.Equal((0, $"namespace/{ns} created\n"), (created.ExitCode, created.Output.ReplaceLineEndings("\n")));
        Assert.Equal((1, $"Error from server (AlreadyExists): namespaces \"{ns}\" already exists\n"), (again.ExitCode, again.Error.ReplaceLineEndings("\n")));
        Assert.Equal((1, "Error from server (Forbidden): namespaces \"default\" is forbidden: this namespace may not be deleted\n"),
            (protectedDefault.ExitCode, protectedDefault.Error.ReplaceLineEndings("\n")));
        Assert.Equal([ns, "Active"], (await cluster.Hdctl.RunAsync("get", "ns")).Row(ns)?[..2] ?? []);
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];
}
