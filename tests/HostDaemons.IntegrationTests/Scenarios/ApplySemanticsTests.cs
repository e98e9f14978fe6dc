using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// kubectl's apply semantics through the real hdctl and control plane: the three-way merge with the last-applied
/// configuration, dry runs, diff and deleting collections. No agents, no Docker.
/// </summary>
public sealed class ApplySemanticsTests : IAsyncLifetime
{
    private readonly TempDirectory _files = new("hd-apply");
    private TestControlPlane _controlPlane = null!;
    private Hdctl _hdctl = null!;

    public async ValueTask InitializeAsync()
    {
        _controlPlane = await TestControlPlane.StartAsync(_files.Combine("store"));
        _hdctl = new Hdctl(_controlPlane.Url);
    }

    public async ValueTask DisposeAsync()
    {
        await _controlPlane.DisposeAsync();
        _files.Dispose();
    }

    private static string Manifest(string name = "agent", string image = "busybox:1.36", bool env = true, bool zone = true, string labels = "") => $"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: {name}
          labels:
            app: {name}
        {labels}
        spec:
          selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {name}
            spec:
              nodeSelector:
                disk: ssd
        {(zone ? "        zone: a" : "")}
              containers:
              - name: main
                image: {image}
        {(env ? "        env:\n        - name: LEVEL\n          value: debug" : "")}
        """;

    private async Task<string> WriteAsync(string text, string name = "agent.yaml")
    {
        var path = _files.Combine(name);
        await File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
        return path;
    }

    [Fact]
    public async Task Apply_FieldsRemovedFromTheFile_AreGoneFromTheObject()
    {
        var path = await WriteAsync(Manifest());
        Assert.Equal("daemonset.apps/agent created\n", await _hdctl.OkAsync("apply", "-f", path));
        var before = await _hdctl.OkAsync("get", "ds", "agent", "-o", "yaml");
        Assert.Contains("name: LEVEL", before, StringComparison.Ordinal);
        Assert.Contains("zone: a", before, StringComparison.Ordinal);
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration: |", before, StringComparison.Ordinal);

        await WriteAsync(Manifest(env: false, zone: false));
        Assert.Equal("daemonset.apps/agent configured\n", await _hdctl.OkAsync("apply", "-f", path));

        var after = await _hdctl.OkAsync("get", "ds", "agent", "-o", "yaml");
        Assert.DoesNotContain("LEVEL", after, StringComparison.Ordinal);
        Assert.DoesNotContain("zone", after, StringComparison.Ordinal);
        Assert.Contains("disk: ssd", after, StringComparison.Ordinal);
        Assert.Contains("imagePullPolicy: IfNotPresent", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_LabelAddedWithHdctlLabel_SurvivesReapplyingAFileWithoutIt()
    {
        var path = await WriteAsync(Manifest());
        await _hdctl.OkAsync("apply", "-f", path);
        await _hdctl.OkAsync("label", "ds", "agent", "team=infra");

        Assert.Equal("daemonset.apps/agent unchanged\n", await _hdctl.OkAsync("apply", "-f", path));
        await WriteAsync(Manifest(image: "busybox:1.37"));
        Assert.Equal("daemonset.apps/agent configured\n", await _hdctl.OkAsync("apply", "-f", path));

        var yaml = await _hdctl.OkAsync("get", "ds", "agent", "-o", "yaml");
        Assert.Contains("team: infra", yaml, StringComparison.Ordinal);
        Assert.Contains("image: busybox:1.37", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_DryRuns_StoreNothing()
    {
        var path = await WriteAsync(Manifest());

        Assert.Equal("daemonset.apps/agent created (server dry run)\n", await _hdctl.OkAsync("apply", "-f", path, "--dry-run=server"));
        Assert.Equal("daemonset.apps/agent created (dry run)\n", await _hdctl.OkAsync("apply", "-f", path, "--dry-run=client"));
        var missing = await _hdctl.RunAsync("get", "ds", "agent");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("not found", missing.Error, StringComparison.Ordinal);

        await _hdctl.OkAsync("apply", "-f", path);
        await WriteAsync(Manifest(image: "busybox:1.37"));
        Assert.Equal("daemonset.apps/agent configured (server dry run)\n", await _hdctl.OkAsync("apply", "-f", path, "--dry-run=server"));
        Assert.Equal("daemonset.apps/agent configured (dry run)\n", await _hdctl.OkAsync("apply", "-f", path, "--dry-run"));
        Assert.Contains("image: busybox:1.36", await _hdctl.OkAsync("get", "ds", "agent", "-o", "yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_ChangedFile_ShowsTheChangeAndExitsOneThenZeroOnceApplied()
    {
        var path = await WriteAsync(Manifest());
        var created = await _hdctl.RunAsync("diff", "-f", path);
        Assert.Equal(1, created.ExitCode);
        Assert.Contains("+apiVersion: apps/v1\n", created.Output, StringComparison.Ordinal);

        await _hdctl.OkAsync("apply", "-f", path);
        Assert.Equal(new HdctlResult(0, "", "", $"diff -f {path}"), await _hdctl.RunAsync("diff", "-f", path));

        await WriteAsync(Manifest(image: "busybox:1.37", env: false));
        var changed = await _hdctl.RunAsync("diff", "-f", path);

        Assert.Equal(1, changed.ExitCode);
        Assert.Equal("", changed.Error);
        var lines = changed.Output.Split('\n');
        Assert.Matches(@"^diff -u -N \S+/LIVE-\d+/apps\.v1\.DaemonSet\.default\.agent \S+/MERGED-\d+/apps\.v1\.DaemonSet\.default\.agent$", lines[0]);
        Assert.StartsWith("--- ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("+++ ", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("@@ -", lines[3], StringComparison.Ordinal);
        Assert.Contains("-      - env:", lines);
        Assert.Contains("-        - name: LEVEL", lines);
        Assert.Contains("-        image: busybox:1.36", lines);
        Assert.Contains("+      - image: busybox:1.37", lines);
        Assert.DoesNotContain(lines, l => l.Contains("generation", StringComparison.Ordinal) || l.Contains("last-applied", StringComparison.Ordinal));
        Assert.Contains("image: busybox:1.36", await _hdctl.OkAsync("get", "ds", "agent", "-o", "yaml"), StringComparison.Ordinal);

        await _hdctl.OkAsync("apply", "-f", path);
        var applied = await _hdctl.RunAsync("diff", "-f", path);
        Assert.Equal((0, ""), (applied.ExitCode, applied.Output));
    }

    [Fact]
    public async Task Diff_InvalidManifest_ExitCodeAboveOne()
    {
        var path = await WriteAsync(Manifest().Replace("image: busybox:1.36", "imgae: busybox:1.36", StringComparison.Ordinal));

        var result = await _hdctl.RunAsync("diff", "-f", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown field \"imgae\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_BySelectorAndAll_DeletesExactlyTheMatchingOnes()
    {
        var web = "    tier: web";
        var path = await WriteAsync(string.Join("\n---\n", Manifest("a", labels: web), Manifest("b", labels: web), Manifest("c", labels: "    tier: db")));
        await _hdctl.OkAsync("apply", "-f", path);

        Assert.Equal("daemonset.apps \"a\" deleted\ndaemonset.apps \"b\" deleted\n", await _hdctl.OkAsync("delete", "ds", "-l", "tier=web"));
        var left = await _hdctl.OkAsync("get", "ds", "-o", "name");
        Assert.Equal("daemonset.apps/c\n", left);

        Assert.Equal("No resources found\n", await _hdctl.OkAsync("delete", "ds", "-l", "tier=web"));
        Assert.Equal("daemonset.apps \"c\" deleted\n", await _hdctl.OkAsync("delete", "ds", "--all"));
        Assert.Equal("No resources found\n", await _hdctl.OkAsync("delete", "ds", "--all"));
    }

    [Fact]
    public async Task Delete_AllInEveryNamespace_DeletesAcrossNamespaces()
    {
        var path = await WriteAsync(Manifest("a"));
        await _hdctl.OkAsync("apply", "-f", path);
        await _hdctl.OkAsync("apply", "-f", path, "-n", "other");

        Assert.Equal("daemonset.apps \"a\" deleted\n", await _hdctl.OkAsync("delete", "ds", "--all", "-n", "other"));
        await _hdctl.OkAsync("apply", "-f", path, "-n", "other");

        Assert.Equal("daemonset.apps \"a\" deleted\ndaemonset.apps \"a\" deleted\n", await _hdctl.OkAsync("delete", "ds", "--all", "-A"));
        var list = await _hdctl.RunAsync("get", "ds", "-A");
        Assert.Equal("No resources found\n", list.Error);
    }
}
