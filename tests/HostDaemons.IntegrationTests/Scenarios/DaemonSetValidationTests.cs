using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>The reference's DaemonSet defaults and validation rules, through hdctl and a real control plane.</summary>
public sealed class DaemonSetValidationTests : IAsyncLifetime
{
    private const string Valid = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: checked
        spec:
          selector:
            matchLabels: {app: checked}
          template:
            metadata:
              labels: {app: checked}
            spec:
              containers:
              - name: main
                image: busybox:latest
        """;

    private readonly TempDirectory _directory = new("hd-validation");
    private TestControlPlane _controlPlane = null!;
    private Hdctl _hdctl = null!;

    public async ValueTask InitializeAsync()
    {
        _controlPlane = await TestControlPlane.StartAsync(_directory.Combine("store"));
        _hdctl = new Hdctl(_controlPlane.Url);
    }

    public async ValueTask DisposeAsync()
    {
        await _controlPlane.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Apply_Minimal_GetsKubernetesDefaults()
    {
        await _hdctl.RunWithInputAsync(Valid, "apply", "-f", "-");

        var ds = await _hdctl.JsonAsync("get", "ds", "checked");

        var spec = ds["spec"]!;
        Assert.Equal("RollingUpdate", spec["updateStrategy"]!["type"]!.GetValue<string>());
        Assert.Equal(1, spec["updateStrategy"]!["rollingUpdate"]!["maxUnavailable"]!.GetValue<int>());
        Assert.Equal(0, spec["updateStrategy"]!["rollingUpdate"]!["maxSurge"]!.GetValue<int>());
        Assert.Equal(10, spec["revisionHistoryLimit"]!.GetValue<int>());
        Assert.Equal("Always", spec["template"]!["spec"]!["restartPolicy"]!.GetValue<string>());
        Assert.Equal(30, spec["template"]!["spec"]!["terminationGracePeriodSeconds"]!.GetValue<int>());
        Assert.Equal("1", ds["metadata"]!["generation"]!.ToString());
    }

    [Theory]
    [InlineData("    spec:\n", "    spec:\n      restartPolicy: Never\n",
        "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"")]
    [InlineData("    spec:\n", "    spec:\n      activeDeadlineSeconds: 10\n", "spec.template.spec.activeDeadlineSeconds: Forbidden")]
    [InlineData("spec:\n  selector:", "spec:\n  revisionHistoryLimit: -1\n  selector:", "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("spec:\n  selector:", "spec:\n  minReadySeconds: -1\n  selector:", "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("spec:\n  selector:", "spec:\n  updateStrategy:\n    rollingUpdate: {maxSurge: 1}\n  selector:",
        "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero")]
    [InlineData("spec:\n  selector:", "spec:\n  updateStrategy:\n    rollingUpdate: {maxUnavailable: 0}\n  selector:",
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0")]
    [InlineData("spec:\n  selector:", "spec:\n  updateStrategy:\n    rollingUpdate: {maxUnavailable: 120%}\n  selector:",
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"120%\": must not be greater than 100%")]
    [InlineData("spec:\n  selector:", "spec:\n  updateStrategy: {type: Sometimes}\n  selector:",
        "spec.updateStrategy.type: Unsupported value: \"Sometimes\": supported values: \"OnDelete\", \"RollingUpdate\"")]
    public async Task Apply_BreaksARule_RefusedWithTheFieldAndKubernetesMessage(string find, string replace, string message)
    {
        var result = await _hdctl.RunWithInputAsync(Valid.Replace(find, replace, StringComparison.Ordinal), "apply", "-f", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await _hdctl.RunAsync("get", "ds", "checked")).ExitCode);
    }

    [Fact]
    public async Task Apply_ChangedSelector_RefusedAsImmutableAndTheStoredObjectKept()
    {
        await _hdctl.RunWithInputAsync(Valid, "apply", "-f", "-");
        var changed = Valid.Replace("{app: checked}", "{app: other}", StringComparison.Ordinal);

        var result = await _hdctl.RunWithInputAsync(changed, "apply", "-f", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The DaemonSet \"checked\" is invalid: spec.selector: Invalid value: \"app=other\": field is immutable", result.Error, StringComparison.Ordinal);
        var stored = await _hdctl.JsonAsync("get", "ds", "checked");
        Assert.Equal("checked", stored["spec"]!["selector"]!["matchLabels"]!["app"]!.GetValue<string>());
        Assert.Equal("1", stored["metadata"]!["generation"]!.ToString());
    }

    [Fact]
    public async Task Apply_LabelOnlyChange_KeepsGenerationAndSpecChangeBumpsIt()
    {
        await _hdctl.RunWithInputAsync(Valid, "apply", "-f", "-");

        await _hdctl.RunWithInputAsync(Valid.Replace("  name: checked\n", "  name: checked\n  labels: {team: a}\n", StringComparison.Ordinal), "apply", "-f", "-");
        Assert.Equal("1", (await _hdctl.JsonAsync("get", "ds", "checked"))["metadata"]!["generation"]!.ToString());

        await _hdctl.RunWithInputAsync(Valid.Replace("busybox:latest", "busybox:1", StringComparison.Ordinal), "apply", "-f", "-");
        Assert.Equal("2", (await _hdctl.JsonAsync("get", "ds", "checked"))["metadata"]!["generation"]!.ToString());
    }
}
