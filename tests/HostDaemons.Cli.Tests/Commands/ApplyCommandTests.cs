using HostDaemons.Api.V1;
using HostDaemons.Cli.Commands;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Commands;

public sealed class ApplyCommandTests : IDisposable
{
    private const string Manifest = TestManifests.DaemonSet;

    private readonly TempDirectory _temp = new("hdctl-apply");

    public void Dispose() => _temp.Dispose();

    private static IReadOnlyList<ManifestObject> Objects()
    {
        var read = ManifestReader.Read(Manifest, "x.yaml");
        Assert.Empty(read.Problems);
        return read.Objects;
    }

    private static DaemonSet Live()
    {
        var ds = (DaemonSet)Objects()[0].Value;
        ds.Metadata.Uid = "uid-1";
        return ds;
    }

    private static async Task<(int Code, string Output, string Error)> ApplyAsync(FakeApplyClient? client, DryRunStrategy dryRun, ApplyMode mode = ApplyMode.Apply)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = await ApplyCommand.ApplyAsync(client, Objects(), mode, dryRun, output, error, TestContext.Current.CancellationToken).DefaultTimeout();
        return (code, output.ToString(), error.ToString());
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var path = _temp.Combine("x.yaml");
        await File.WriteAllTextAsync(path, Manifest, TestContext.Current.CancellationToken);
        return await HdctlRunner.RunAsync([.. args, "-f", path]);
    }

    [Fact]
    public async Task ApplyAsync_RbacV1beta1_KubectlsDeprecationWarningThenSentAsV1()
    {
        const string binding = "apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRoleBinding\nmetadata:\n  name: fluentd\n"
            + "roleRef:\n  kind: ClusterRole\n  name: view\n  apiGroup: rbac.authorization.k8s.io\nsubjects:\n- kind: ServiceAccount\n  name: fluentd\n  namespace: kube-system\n";
        var client = new FakeApplyClient();
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };

        var code = await ApplyCommand.ApplyAsync(client, ManifestReader.Read(binding, "rbac.yaml").Objects, ApplyMode.Apply, DryRunStrategy.None, output, error,
            TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(0, code);
        Assert.Equal("clusterrolebinding.rbac.authorization.k8s.io/fluentd created\n", output.ToString());
        Assert.Equal("Warning: rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding is deprecated in v1.17+, unavailable in v1.22+; "
            + "use rbac.authorization.k8s.io/v1 ClusterRoleBinding\n", error.ToString());
        Assert.Equal("rbac.authorization.k8s.io/v1", Assert.Single(client.Applies).Object.ClusterRoleBinding.ApiVersion);
    }

    [Fact]
    public async Task ApplyAsync_ServerWarning_PrintedAsKubectlDoes()
    {
        var client = new FakeApplyClient
        {
            Respond = request => new ApplyResponse { Object = request.Object, Outcome = ApplyOutcome.Created, Warnings = { "something to know" } },
        };

        var (code, _, error) = await ApplyAsync(client, DryRunStrategy.None);

        Assert.Equal(0, code);
        Assert.Equal("Warning: something to know\n", error);
    }

    [Fact]
    public async Task Run_DirectoryWithKustomization_SkippedWithAWarningTheRestRead()
    {
        var dir = _temp.Combine("vector");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [ds.yaml]\n",
            TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "ds.yaml"), Manifest, TestContext.Current.CancellationToken);

        var (code, output, error) = await HdctlRunner.RunAsync("create", "-f", dir, "--dry-run=client");

        Assert.Equal(0, code);
        Assert.Equal("daemonset.apps/x created (dry run)\n", output);
        Assert.StartsWith($"Warning: skipping {Path.Combine(dir, "kustomization.yaml")}: a kustomization is built by 'kubectl apply -k'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_ClientDryRunNewObject_CreatedDryRunAndNothingApplied()
    {
        var client = new FakeApplyClient();

        var (code, output, error) = await ApplyAsync(client, DryRunStrategy.Client);

        Assert.Equal((0, "daemonset.apps/x created (dry run)\n", ""), (code, output, error));
        Assert.Single(client.Gets);
        Assert.Empty(client.Applies);
    }

    [Fact]
    public async Task ApplyAsync_ClientDryRunExistingObject_ConfiguredDryRunAsKubectlSaysIt()
    {
        var client = new FakeApplyClient(Live());

        var (code, output, _) = await ApplyAsync(client, DryRunStrategy.Client);

        Assert.Equal((0, "daemonset.apps/x configured (dry run)\n"), (code, output));
        Assert.Equal(("x", "default", ResourceKind.DaemonSet), (client.Gets[0].Ref.Name, client.Gets[0].Ref.Namespace, client.Gets[0].Ref.Kind));
        Assert.Empty(client.Applies);
    }

    [Fact]
    public async Task ApplyAsync_CreateClientDryRunWithoutClient_CreatedDryRun()
    {
        var (code, output, _) = await ApplyAsync(null, DryRunStrategy.Client, ApplyMode.Create);

        Assert.Equal((0, "daemonset.apps/x created (dry run)\n"), (code, output));
    }

    [Theory]
    [InlineData("created")]
    [InlineData("configured")]
    [InlineData("unchanged")]
    public async Task ApplyAsync_ServerDryRun_SendsDryRunAndSaysServerDryRun(string verb)
    {
        var outcome = verb switch
        {
            "created" => ApplyOutcome.Created,
            "configured" => ApplyOutcome.Configured,
            _ => ApplyOutcome.Unchanged,
        };
        var client = new FakeApplyClient { Respond = r => new ApplyResponse { Object = r.Object, Outcome = outcome } };

        var (code, output, _) = await ApplyAsync(client, DryRunStrategy.Server);

        Assert.Equal((0, $"daemonset.apps/x {verb} (server dry run)\n"), (code, output));
        Assert.True(Assert.Single(client.Applies).DryRun);
    }

    [Fact]
    public async Task ApplyAsync_NoDryRun_SendsTheObjectAsWrittenWithoutDefaults()
    {
        var client = new FakeApplyClient();

        var (_, output, _) = await ApplyAsync(client, DryRunStrategy.None);

        Assert.Equal("daemonset.apps/x created\n", output);
        var sent = Assert.Single(client.Applies);
        Assert.False(sent.DryRun);
        Assert.Equal("", sent.Object.DaemonSet.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.Null(sent.Object.DaemonSet.Spec.UpdateStrategy);
    }

    [Fact]
    public async Task ApplyAsync_ServerWarnings_PrintedOnStderrAsKubectlPrintsThem()
    {
        var client = new FakeApplyClient
        {
            Respond = r => new ApplyResponse { Object = r.Object, Outcome = ApplyOutcome.Configured, Warnings = { "resource daemonsets/x is missing the annotation" } },
        };

        var (_, output, error) = await ApplyAsync(client, DryRunStrategy.None);

        Assert.Equal("daemonset.apps/x configured\n", output);
        Assert.Equal("Warning: resource daemonsets/x is missing the annotation\n", error);
    }

    [Fact]
    public async Task ApplyAsync_ForbiddenWithFieldPaths_KubectlsLineThenEachFieldsFileAndLine()
    {
        const string refusal = "daemonsets.apps \"x\" is forbidden: violates PodSecurity \"restricted:latest\": seccompProfile (...)";
        var client = new FakeApplyClient
        {
            Respond = _ => throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.PermissionDenied, refusal),
                new Grpc.Core.Metadata
                {
                    { Model.Validation.ErrorFieldPaths.TrailerKey, "spec.template.spec.containers[0].securityContext.seccompProfile" },
                    { Model.Validation.ErrorFieldPaths.TrailerKey, "spec.template.spec.containers[0].image" },
                }),
        };

        var (code, output, error) = await ApplyAsync(client, DryRunStrategy.None);

        Assert.Equal((1, ""), (code, output));
        Assert.Equal(
            $"Error from server (Forbidden): error when creating \"x.yaml\": {refusal}\n"
            + "x.yaml:13: spec.template.spec.containers[0].securityContext.seccompProfile\n"
            + "x.yaml:14: spec.template.spec.containers[0].image\n",
            error);
    }

    [Fact]
    public async Task Run_CreateDryRunClient_NeverContactsTheServer()
    {
        var (code, output, error) = await RunAsync("create", "--dry-run=client");

        Assert.Equal((0, "daemonset.apps/x created (dry run)\n", ""), (code, output, error));
    }

    [Fact]
    public async Task Run_BareDryRun_IsClientWithKubectlsDeprecationWarning()
    {
        var (code, output, error) = await RunAsync("create", "--dry-run");

        Assert.Equal(0, code);
        Assert.Equal("daemonset.apps/x created (dry run)\n", output);
        Assert.Equal("warning: --dry-run is deprecated and can be replaced with --dry-run=client.\n", error);
    }

    [Fact]
    public async Task Run_InvalidDryRunValue_KubectlsError()
    {
        var (code, output, error) = await RunAsync("apply", "--dry-run=maybe");

        Assert.Equal((1, ""), (code, output));
        Assert.Equal("error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".\n", error);
    }

    [Fact]
    public async Task Run_ApplyDryRunClient_AsksTheServerWhetherItExists()
    {
        var (code, _, error) = await RunAsync("apply", "--dry-run=client");

        Assert.Equal(1, code);
        Assert.Contains("127.0.0.1:1", error, StringComparison.Ordinal);
    }
}
