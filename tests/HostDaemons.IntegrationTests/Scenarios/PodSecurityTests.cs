using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Pod Security through the real control plane and hdctl: seed 002's fluentd (two hostPath volumes) refused by a
/// baseline namespace with the file and line of each volume, applied with a warning under warn, refused everywhere
/// unlabelled under <c>--default-pod-security baseline</c>; a default busybox refused by restricted.
/// </summary>
public sealed class PodSecurityTests : IAsyncDisposable
{
    private const string Refusal =
        "daemonsets.apps \"fluentd-cloud-logging\" is forbidden: violates PodSecurity \"baseline:latest\": hostPath volumes (volumes \"varlog\", \"containers\")";

    private const string Busybox = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: busybox
          namespace: strict
        spec:
          selector:
            matchLabels: {app: busybox}
          template:
            metadata:
              labels: {app: busybox}
            spec:
              containers:
              - name: main
                image: busybox:latest
                command: [sleep, "3600"]
        """;

    private readonly TempDirectory _files = new("hd-podsecurity");
    private TestControlPlane? _controlPlane;

    /// <summary>Seed 002's DaemonSet as the repository's example holds it: its two hostPath volumes are at lines 39 and 42.</summary>
    private static string Fluentd => RepositoryFiles.Path("examples", "fluentd", "fluentd-ds.yaml");

    public async ValueTask DisposeAsync()
    {
        if (_controlPlane is not null)
        {
            await _controlPlane.DisposeAsync();
        }

        _files.Dispose();
    }

    private async Task<Hdctl> StartAsync(params string[] flags)
    {
        _controlPlane = await TestControlPlane.StartAsync(_files.Combine("store"), flags);
        return new Hdctl(_controlPlane.Url);
    }

    private static string Refused(string message) => $"Error from server (Forbidden): error when creating \"{Fluentd}\": {message}\n"
        + $"{Fluentd}:39: spec.template.spec.volumes[0].hostPath\n"
        + $"{Fluentd}:42: spec.template.spec.volumes[1].hostPath\n";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EnforceBaseline_FluentdSeed_RefusedWithEachVolumesFileAndLine(bool serverDryRun)
    {
        var hdctl = await StartAsync();
        await hdctl.OkAsync("label", "namespace", "kube-system", "pod-security.kubernetes.io/enforce=baseline");

        var result = await hdctl.RunAsync(serverDryRun ? ["apply", "--dry-run=server", "-f", Fluentd] : ["apply", "-f", Fluentd]);

        Assert.Equal((1, "", Refused(Refusal)), (result.ExitCode, result.Output, result.Error.ReplaceLineEndings("\n")));
        var stored = await hdctl.RunAsync("get", "ds", "-n", "kube-system");
        Assert.Equal("No resources found in kube-system namespace.\n", stored.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task WarnBaseline_FluentdSeed_AppliedWithKubernetesWarningOnStderr()
    {
        var hdctl = await StartAsync();
        await hdctl.OkAsync("label", "namespace", "kube-system", "pod-security.kubernetes.io/warn=baseline");

        var result = await hdctl.RunAsync("apply", "-f", Fluentd);

        Assert.Equal(
            (0, "daemonset.apps/fluentd-cloud-logging created\n",
                "Warning: would violate PodSecurity \"baseline:latest\": hostPath volumes (volumes \"varlog\", \"containers\")\n"),
            (result.ExitCode, result.Output.ReplaceLineEndings("\n"), result.Error.ReplaceLineEndings("\n")));
        Assert.NotNull((await hdctl.RunAsync("get", "ds", "-n", "kube-system")).Row("fluentd-cloud-logging"));
    }

    [Fact]
    public async Task DefaultPodSecurityBaseline_UnlabelledNamespaceRefuses_PrivilegedExceptionAdmits()
    {
        var hdctl = await StartAsync("--default-pod-security", "baseline");

        var refused = await hdctl.RunAsync("apply", "-f", Fluentd);
        Assert.Equal((1, Refused(Refusal)), (refused.ExitCode, refused.Error.ReplaceLineEndings("\n")));

        // The recommended exception for a namespace that runs host agents.
        await hdctl.OkAsync("label", "namespace", "kube-system", "pod-security.kubernetes.io/enforce=privileged", "pod-security.kubernetes.io/warn=privileged");
        var applied = await hdctl.RunAsync("apply", "-f", Fluentd);
        Assert.Equal((0, "daemonset.apps/fluentd-cloud-logging created\n", ""), (applied.ExitCode, applied.Output.ReplaceLineEndings("\n"), applied.Error));
    }

    [Fact]
    public async Task EnforceRestricted_DefaultBusybox_RefusedWithTheRestrictedMessages()
    {
        var hdctl = await StartAsync();
        var ns = await hdctl.RunWithInputAsync("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: strict\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n", "apply", "-f", "-");
        Assert.Equal((0, "namespace/strict created\n"), (ns.ExitCode, ns.Output.ReplaceLineEndings("\n")));
        var path = _files.Combine("busybox.yaml");
        await File.WriteAllTextAsync(path, Busybox, TestContext.Current.CancellationToken);

        var result = await hdctl.RunAsync("apply", "-f", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"Error from server (Forbidden): error when creating \"{path}\": daemonsets.apps \"busybox\" is forbidden: violates PodSecurity \"restricted:latest\": "
            + "allowPrivilegeEscalation != false (container \"main\" must set securityContext.allowPrivilegeEscalation=false), "
            + "unrestricted capabilities (container \"main\" must set securityContext.capabilities.drop=[\"ALL\"]), "
            + "runAsNonRoot != true (pod or container \"main\" must set securityContext.runAsNonRoot=true), "
            + "seccompProfile (pod or container \"main\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")\n"
            + $"{path}:14: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation\n"
            + $"{path}:14: spec.template.spec.containers[0].securityContext.capabilities.drop\n"
            + $"{path}:14: spec.template.spec.containers[0].securityContext.runAsNonRoot\n"
            + $"{path}:14: spec.template.spec.containers[0].securityContext.seccompProfile\n",
            result.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task LabelNamespace_BogusLevelRefused_StricterLevelWarnsAboutWhatRunsThere()
    {
        var hdctl = await StartAsync();
        await hdctl.OkAsync("apply", "-f", Fluentd);

        var bogus = await hdctl.RunAsync("label", "namespace", "kube-system", "pod-security.kubernetes.io/enforce=bogus");
        Assert.Equal(1, bogus.ExitCode);
        Assert.Contains("metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"bogus\": must be one of privileged, baseline, restricted", bogus.Error, StringComparison.Ordinal);

        var stricter = await hdctl.RunAsync("label", "namespace", "kube-system", "pod-security.kubernetes.io/enforce=baseline");
        Assert.Equal(
            (0, "namespace/kube-system labeled\n",
                "Warning: existing daemonsets in namespace \"kube-system\" violate the new PodSecurity enforce level \"baseline:latest\"\n"
                + "Warning: fluentd-cloud-logging: hostPath volumes\n"),
            (stricter.ExitCode, stricter.Output.ReplaceLineEndings("\n"), stricter.Error.ReplaceLineEndings("\n")));
        Assert.NotNull((await hdctl.RunAsync("get", "ds", "-n", "kube-system")).Row("fluentd-cloud-logging"));
    }
}
