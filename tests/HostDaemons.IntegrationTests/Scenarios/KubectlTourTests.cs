using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// The README's tour done with the real kubectl instead of hdctl, against real agents and Docker: apply, get with
/// kubectl's columns, logs, describe, label, cordon, taint, drain, rollouts, diff and delete, with kubectl's messages
/// and exit codes.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class KubectlTourTests : IDisposable
{
    private const string Owner = "DaemonSet/tour";

    private readonly TempDirectory _directory = new("hd-kubectl-tour");

    [Fact]
    public async Task Tour_WithKubectl_EveryStepAsKubectlPrintsIt()
    {
        await using var cluster = await TestCluster.StartAsync("tour-a");
        using var kubectl = Kubectl.ForDevelopment(cluster.ControlPlane.Url);
        var manifest = _directory.Combine("tour.yaml");
        await File.WriteAllTextAsync(manifest, TestManifests.Daemon("tour", command: "echo hello from $(hostname); " + TestManifests.SleepUntilTerm),
            TestContext.Current.CancellationToken);

        Assert.Equal("daemonset.apps/tour created\n", await kubectl.OkAsync("apply", "-f", manifest));
        Assert.Equal("daemonset.apps/tour unchanged\n", await kubectl.OkAsync("apply", "-f", manifest));
        await cluster.WaitForRunningAsync("tour-a", Owner, 1);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await kubectl.RunAsync("get", "ds", "tour")).Row("tour")?[1..6].SequenceEqual(["1", "1", "1", "1", "1"]) == true,
            "get ds to show 1 1 1 1 1");

        var pods = await kubectl.RunAsync("get", "pods", "-o", "wide");
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n", pods.Output);
        var podRow = pods.Output.Split('\n')[1];
        var pod = podRow.Split(' ')[0];
        Assert.Matches(@"^tour-\w{5}\s+1/1\s+Running\s+0\s+\S+\s+\S+\s+tour-a\s+<none>\s+<none>$", podRow);

        await AsyncTestHelpers.WaitUntilAsync(async () => (await kubectl.RunAsync("logs", pod)).Output.Contains("hello from", StringComparison.Ordinal), "the pod's log");
        Assert.Contains("hello from", await kubectl.OkAsync("logs", "ds/tour"), StringComparison.Ordinal);
        Assert.Contains("hello from", await kubectl.OkAsync("logs", pod, "--since=1h"), StringComparison.Ordinal);
        Assert.Equal("", await kubectl.OkAsync("logs", pod, "--since-time=" + DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)));

        var describeDs = await kubectl.OkAsync("describe", "ds", "tour");
        Assert.Matches(@"(?m)^Name:\s+tour$", describeDs);
        Assert.Matches(@"(?m)^Pods Status:\s+1 Running / 0 Waiting / 0 Succeeded / 0 Failed$", describeDs);
        Assert.Contains("SuccessfulCreate", describeDs, StringComparison.Ordinal);
        var describeNode = await kubectl.OkAsync("describe", "node", "tour-a");
        Assert.Matches(@"(?m)^Name:\s+tour-a$", describeNode);
        Assert.DoesNotMatch(@"\(-\d+%\)", describeNode);
        Assert.Matches(@"(?m)^Status:\s+Running$", await kubectl.OkAsync("describe", "pod", pod));

        Assert.Equal("node/tour-a labeled\n", await kubectl.OkAsync("label", "node", "tour-a", "disk=ssd"));
        Assert.Equal("daemonset.apps/tour annotated\n", await kubectl.OkAsync("annotate", "ds", "tour", "team=ops"));
        Assert.Equal("node/tour-a cordoned\n", await kubectl.OkAsync("cordon", "tour-a"));
        Assert.Equal("node/tour-a uncordoned\n", await kubectl.OkAsync("uncordon", "tour-a"));
        Assert.Equal("node/tour-a tainted\n", await kubectl.OkAsync("taint", "node", "tour-a", "dedicated=ops:NoSchedule"));
        Assert.Equal("node/tour-a untainted\n", await kubectl.OkAsync("taint", "node", "tour-a", "dedicated=ops:NoSchedule-"));

        var drain = await kubectl.RunAsync("drain", "tour-a", "--ignore-daemonsets");
        Assert.True(drain.ExitCode == 0, drain.Error);
        Assert.Equal("node/tour-a cordoned\nnode/tour-a drained\n", drain.Output);
        Assert.Contains($"Warning: ignoring DaemonSet-managed Pods: default/{pod}", drain.Error, StringComparison.Ordinal);
        Assert.Equal("node/tour-a uncordoned\n", await kubectl.OkAsync("uncordon", "tour-a"));

        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest, TestContext.Current.CancellationToken)).Replace("hello from", "hi from", StringComparison.Ordinal),
            TestContext.Current.CancellationToken);
        Assert.Equal(1, (await kubectl.RunAsync("diff", "-f", manifest)).ExitCode);
        Assert.Equal("daemonset.apps/tour configured\n", await kubectl.OkAsync("apply", "-f", manifest));
        Assert.Equal(0, (await kubectl.RunAsync("diff", "-f", manifest)).ExitCode);
        Assert.Contains("successfully rolled out", await kubectl.OkAsync("rollout", "status", "ds/tour", "--timeout=120s"), StringComparison.Ordinal);
        Assert.Equal("daemonset.apps/tour image updated\n", await kubectl.OkAsync("set", "image", "ds/tour", "main=busybox:latest-tour"));
        Assert.Equal("daemonset.apps/tour rolled back\n", await kubectl.OkAsync("rollout", "undo", "ds/tour"));
        Assert.Equal("daemonset.apps/tour restarted\n", await kubectl.OkAsync("rollout", "restart", "ds/tour"));
        Assert.Matches(@"(?m)^REVISION\s+CHANGE-CAUSE$", await kubectl.OkAsync("rollout", "history", "ds/tour"));

        Assert.Equal("daemonset.apps \"tour\" deleted\n", await kubectl.OkAsync("delete", "ds", "tour"));
        var gone = await kubectl.RunAsync("get", "ds", "tour");
        Assert.Equal((1, "Error from server (NotFound): daemonsets.apps \"tour\" not found\n"), (gone.ExitCode, gone.Error));
    }

    public void Dispose() => _directory.Dispose();
}
