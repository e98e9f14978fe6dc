using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>Bad manifests are refused with the file, line and field at fault, and nothing of them is stored.</summary>
public sealed class InvalidManifestTests : IAsyncLifetime
{
    private const string Valid = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: good
        spec:
          selector:
            matchLabels:
              app: good
          template:
            metadata:
              labels:
                app: good
            spec:
              containers:
              - name: main
                image: busybox:latest
        """;

    private readonly TempDirectory _files = new("hd-manifests");
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

    [Fact]
    public async Task Apply_SeedManifestAsPrinted_NamesEachMisspelledFieldWithItsLine()
    {
        var path = _files.Combine("ssd-monitor-daemonset.yaml");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "ssd-monitor-as-printed.yaml"), path);

        var result = await _hdctl.RunAsync("apply", "-f", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: {path}:1:1: unknown field \"piVersion\" (did you mean \"apiVersion\"?)", result.Error, StringComparison.Ordinal);
        Assert.Contains($"error: {path}:2:1: unknown field \"cind\" (did you mean \"kind\"?)", result.Error, StringComparison.Ordinal);
        Assert.Contains($"error: {path}:3:1: YAML syntax error: \"netadata\"", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("syntax", "metadata:\n  name: [good\n", 4, "YAML syntax error: a '[' or '{' opened here is never closed")]
    [InlineData("kind", "kind: DaemonSet\n", 2, "no matches for kind \"DeamonSet\" in version \"apps/v1\"")]
    [InlineData("image", "\n        image: busybox:latest", 15, "spec.template.spec.containers[0].image: Required value")]
    [InlineData("empty-selector", "      app: good\n  template:", 6, "spec.selector: Invalid value: \"{}\": empty selector is invalid for daemonset")]
    [InlineData("mismatch", "        app: good\n    spec:", 11, "`selector` does not match template `labels`")]
    public async Task Apply_InvalidManifest_ExitsNonZeroNamingFileLineAndField(string name, string broken, int line, string message)
    {
        var text = name switch
        {
            "syntax" => Valid.Replace("metadata:\n  name: good\n", broken, StringComparison.Ordinal),
            "kind" => Valid.Replace("kind: DaemonSet\n", "kind: DeamonSet\n", StringComparison.Ordinal),
            "image" => Valid.Replace(broken, "", StringComparison.Ordinal),
            "empty-selector" => Valid.Replace("  selector:\n    matchLabels:\n      app: good\n", "  selector: {}\n", StringComparison.Ordinal),
            _ => Valid.Replace("      labels:\n        app: good\n    spec:", "      labels:\n        app: other\n    spec:", StringComparison.Ordinal),
        };
        var path = _files.Combine(name + ".yaml");
        await File.WriteAllTextAsync(path, text + "\n---\n" + Valid.Replace("name: good", "name: second", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var result = await _hdctl.RunAsync("apply", "-f", path);

        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {path}:{line}:", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Apply_ValidManifest_IsStoredThenUnchangedThenConfigured()
    {
        Assert.Equal("daemonset.apps/good created\n", (await _hdctl.RunWithInputAsync(Valid, "apply", "-f", "-")).Output);
        Assert.Equal("daemonset.apps/good unchanged\n", (await _hdctl.RunWithInputAsync(Valid, "apply", "-f", "-")).Output);
        var changed = Valid.Replace("busybox:latest", "busybox:1", StringComparison.Ordinal);
        Assert.Equal("daemonset.apps/good configured\n", (await _hdctl.RunWithInputAsync(changed, "apply", "-f", "-")).Output);

        var create = await _hdctl.RunWithInputAsync(Valid, "create", "-f", "-");
        Assert.Equal(1, create.ExitCode);
        Assert.Equal("Error from server (AlreadyExists): error when creating \"STDIN\": daemonsets.apps \"good\" already exists\n", create.Error);
    }

    private async Task AssertNothingStoredAsync()
    {
        var list = await _hdctl.RunAsync("get", "ds", "-A");
        Assert.Equal(0, list.ExitCode);
        Assert.Equal("No resources found\n", list.Error);
    }
}
