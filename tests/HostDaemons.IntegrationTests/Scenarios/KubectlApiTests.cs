using HostDaemons.IntegrationTests.Infrastructure;
using HostDaemons.Model.Objects;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// The real kubectl against the control plane's Kubernetes REST API, on the same HTTPS port as hdctl's gRPC, with the
/// admin kubeconfig the control plane writes (and a user's from hdctl kubeconfig user): discovery, tables, watches,
/// RBAC refusals and the errors kubectl prints.
/// </summary>
public sealed class KubectlApiTests : IDisposable
{
    private readonly TempDirectory _directory = new("hd-kubectl");

    [Fact]
    public async Task Version_AgainstTlsControlPlane_ServerIs132HostDaemonsWithoutSkewWarning()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        using var kubectl = Kubectl.WithKubeconfig(controlPlane.AdminConf);

        var result = await kubectl.RunAsync("version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"(?m)^Server Version: v1\.32\.0-hostdaemons\.\S+$", result.Output);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task ApiResources_ListsEveryStoredKindWithShortNamesAndTheReviews()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        using var kubectl = Kubectl.WithKubeconfig(controlPlane.AdminConf);

        var result = await kubectl.RunAsync("api-resources");

        Assert.True(result.ExitCode == 0, result.Error);
        foreach (var kind in ResourceKinds.All)
        {
            var row = result.Row(kind.Plural);
            Assert.True(row is not null, $"{kind.Plural} missing from:\n{result.Output}");
            Assert.Equal([kind.Plural, .. kind.ShortNames.Take(1), kind.ApiVersion, kind.Namespaced ? "true" : "false", kind.KindName], row);
        }

        Assert.NotNull(result.Row("selfsubjectaccessreviews"));
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Get_Namespaces_KubectlsColumnsFromTheServersTable()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        using var kubectl = Kubectl.WithKubeconfig(controlPlane.AdminConf);

        var result = await kubectl.RunAsync("get", "namespaces");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"^NAME\s+STATUS\s+AGE\n", result.Output);
        Assert.Equal("Active", result.Row("default")?[1]);
        Assert.Equal("Active", result.Row("kube-system")?[1]);
    }

    [Fact]
    public async Task GetWatch_OneLabelChange_PrintsExactlyOneNewLine()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var hdctl = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        await hdctl.RunWithInputAsync(TestManifests.Daemon("watched"), "apply", "-f", "-");
        using var kubectl = Kubectl.WithKubeconfig(controlPlane.AdminConf);

        await using var watch = kubectl.Stream("get", "ds", "watched", "-w");
        await watch.WaitForAsync(lines => lines.Length == 2, "the header and the DaemonSet's row");
        await hdctl.OkAsync("label", "ds", "watched", "tier=one");
        await watch.WaitForAsync(lines => lines.Length == 3, "one line for the change");
        await hdctl.OkAsync("label", "ds", "watched", "tier=two", "--overwrite");
        await watch.WaitForAsync(lines => lines.Length == 4, "one line for the second change");

        var lines = watch.Lines;
        Assert.Matches(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$", lines[0]);
        Assert.All(lines[1..], line => Assert.StartsWith("watched ", line, StringComparison.Ordinal));
        Assert.Equal("", watch.Error);
    }

    [Fact]
    public async Task RawWatch_FromAVersionOlderThanTheWindow_Gets410ExpiredInTheStream()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var hdctl = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        await hdctl.OkAsync("create", "namespace", "before-restart");
        // A restarted store keeps no history: every earlier version is out of its window.
        await controlPlane.StopAsync();
        await controlPlane.StartAsync();
        using var kubectl = Kubectl.WithKubeconfig(controlPlane.AdminConf);

        var result = await kubectl.RunAsync("get", "--raw", "/api/v1/namespaces?watch=true&resourceVersion=1");

        Assert.True(result.ExitCode == 0, result.Error);
        var line = System.Text.Json.Nodes.JsonNode.Parse(result.Output.Trim())!;
        Assert.Equal("ERROR", (string?)line["type"]);
        Assert.Equal(("Status", "Failure", "Expired", 410), ((string?)line["object"]?["kind"], (string?)line["object"]?["status"],
            (string?)line["object"]?["reason"], (int?)line["object"]?["code"]));
        Assert.StartsWith("too old resource version: 1 (", (string?)line["object"]?["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UserWithoutBindings_ForbiddenWithTheApiServersMessage()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var admin = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        var kubeconfig = _directory.Combine("nobody.conf");
        await File.WriteAllTextAsync(kubeconfig, await admin.OkAsync("kubeconfig", "user", "--client-name", "nobody"), TestContext.Current.CancellationToken);
        using var kubectl = Kubectl.WithKubeconfig(kubeconfig);

        var result = await kubectl.RunAsync("get", "secrets");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error from server (Forbidden): secrets is forbidden: User \"nobody\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\"\n",
            result.Error);
    }

    [Fact]
    public async Task Get_Missing_NotFoundAndExitCode1()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        using var kubectl = Kubectl.WithKubeconfig(controlPlane.AdminConf);

        var result = await kubectl.RunAsync("get", "ds", "absent");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error from server (NotFound): daemonsets.apps \"absent\" not found\n", result.Error);
    }

    [Fact]
    public async Task DevelopmentMode_KubectlOverPlainHttp_NoCredentialsNeeded()
    {
        await using var controlPlane = await TestControlPlane.StartAsync(_directory.Combine("cp"));
        using var kubectl = Kubectl.ForDevelopment(controlPlane.Url);

        var result = await kubectl.RunAsync("get", "namespaces", "-o", "name");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("namespace/default\nnamespace/kube-system\n", result.Output);
    }

    [Fact]
    public async Task ServerSideApply_CreatedReappliedAndAConflictingManagerRefused()
    {
        await using var controlPlane = await TestControlPlane.StartAsync(_directory.Combine("cp"));
        using var kubectl = Kubectl.ForDevelopment(controlPlane.Url);
        var manifest = _directory.Combine("ssa.yaml");
        await File.WriteAllTextAsync(manifest, TestManifests.Daemon("ssa"), TestContext.Current.CancellationToken);
        var other = _directory.Combine("other.yaml");
        await File.WriteAllTextAsync(other, TestManifests.Daemon("ssa").Replace("busybox:latest", "busybox:other", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var dryRun = await kubectl.RunAsync("apply", "--dry-run=server", "-f", manifest);
        var created = await kubectl.RunAsync("apply", "--server-side", "-f", manifest);
        var again = await kubectl.RunAsync("apply", "--server-side", "-f", manifest);
        var conflict = await kubectl.RunAsync("apply", "--server-side", "--field-manager=other", "-f", other);
        var image = await kubectl.OkAsync("get", "ds", "ssa", "-o", "jsonpath={.spec.template.spec.containers[0].image}");
        var forced = await kubectl.RunAsync("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", other);
        var managers = await kubectl.OkAsync("get", "ds", "ssa", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}");

        Assert.Equal(new KubectlResult(0, "daemonset.apps/ssa created (server dry run)\n", ""), dryRun);
        Assert.Equal(new KubectlResult(0, "daemonset.apps/ssa serverside-applied\n", ""), created);
        Assert.Equal(new KubectlResult(0, "daemonset.apps/ssa serverside-applied\n", ""), again);
        Assert.Equal(1, conflict.ExitCode);
        Assert.StartsWith("error: Apply failed with 1 conflict: conflict with \"kubectl\": .spec.template.spec.containers[name=\"main\"].image\n", conflict.Error,
            StringComparison.Ordinal);
        Assert.Equal("busybox:latest", image);
        Assert.Equal(new KubectlResult(0, "daemonset.apps/ssa serverside-applied\n", ""), forced);
        Assert.Equal("kubectl other", managers);
    }

    [Fact]
    public async Task CreateTokenAndAuth_TypedClientsPostingProtobuf_Answered()
    {
        await using var controlPlane = await TestControlPlane.StartAsync(_directory.Combine("cp"));
        using var kubectl = Kubectl.ForDevelopment(controlPlane.Url);

        var token = await kubectl.RunAsync("create", "token", "default");
        var canI = await kubectl.RunAsync("auth", "can-i", "create", "daemonsets");
        var explain = await kubectl.RunAsync("explain", "ds.spec.template.spec.volumes");

        Assert.True(token.ExitCode == 0, token.Error);
        Assert.Equal(3, token.Output.Trim().Split('.').Length);
        Assert.Equal(new KubectlResult(0, "yes\n", ""), canI);
        Assert.True(explain.ExitCode == 0, explain.Error);
        Assert.Contains("FIELD: volumes <[]Volume>", explain.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_SeedsAndUpstreamDaemons_CreatedAsWithHdctl()
    {
        await using var controlPlane = await TestControlPlane.StartAsync(_directory.Combine("cp"));
        using var kubectl = Kubectl.ForDevelopment(controlPlane.Url);
        var daemons = RepositoryFiles.Path("tests", "HostDaemons.IntegrationTests", "TestData", "daemons");
        string[][] applies =
        [
            ["-f", RepositoryFiles.Path("examples", "ssd-monitor")],
            ["-f", RepositoryFiles.Path("examples", "placement")],
            ["-f", RepositoryFiles.Path("examples", "fluentd", "fluentd-ds.yaml")],
            ["-f", RepositoryFiles.Path("examples", "fluentd", "fluentd-elasticsearch.yaml")],
            ["-f", Path.Combine(daemons, "node-exporter")],
            ["-f", Path.Combine(daemons, "fluent-bit")],
            ["-f", Path.Combine(daemons, "node-problem-detector")],
            ["-f", Path.Combine(daemons, "nvidia-device-plugin")],
            ["-k", Path.Combine(daemons, "vector")],
        ];

        foreach (var apply in applies)
        {
            var result = await kubectl.RunAsync(["apply", .. apply]);

            Assert.True(result.ExitCode == 0, $"kubectl apply {string.Join(' ', apply)}: {result.Error}");
            Assert.All(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.EndsWith(" created", line, StringComparison.Ordinal));
        }

        var daemonSets = await kubectl.OkAsync("get", "ds", "-A", "-o", "name");
        Assert.Equal(["daemonset.apps/fluent-bit", "daemonset.apps/fluentd-cloud-logging", "daemonset.apps/fluentd-elasticsearch", "daemonset.apps/node-exporter",
            "daemonset.apps/node-problem-detector", "daemonset.apps/nvidia-device-plugin-daemonset", "daemonset.apps/ssd-monitor", "daemonset.apps/vector",
            "daemonset.apps/with-node-affinity", "daemonset.apps/with-pod-affinity"], daemonSets.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
    }

    [Fact]
    public async Task Apply_SeedFluentdRbacInV1beta1_CreatedWithTheDeprecationWarningAndReadableAsV1()
    {
        const string Warning = "Warning: rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding is deprecated in v1.17+, unavailable in v1.22+; "
            + "use rbac.authorization.k8s.io/v1 ClusterRoleBinding\n";
        await using var controlPlane = await TestControlPlane.StartAsync(_directory.Combine("cp"));
        using var kubectl = Kubectl.ForDevelopment(controlPlane.Url);
        var seed = RepositoryFiles.Path("examples", "fluentd", "fluentd-rbac.yaml");

        var created = await kubectl.RunAsync("apply", "-f", seed);
        var unchanged = await kubectl.RunAsync("apply", "-f", seed);
        var asV1 = await kubectl.RunAsync("get", "clusterrolebindings.v1.rbac.authorization.k8s.io", "fluentd-account", "-o", "jsonpath={.apiVersion} {.roleRef.name} {.subjects[0].name}");
        var asV1beta1 = await kubectl.RunAsync("get", "clusterrolebindings.v1beta1.rbac.authorization.k8s.io", "fluentd-account", "-o", "jsonpath={.apiVersion}");

        Assert.Equal(new KubectlResult(0, "serviceaccount/fluentd-account created\nclusterrolebinding.rbac.authorization.k8s.io/fluentd-account created\n", Warning), created);
        Assert.Equal(new KubectlResult(0, "serviceaccount/fluentd-account unchanged\nclusterrolebinding.rbac.authorization.k8s.io/fluentd-account unchanged\n", Warning), unchanged);
        Assert.Equal(new KubectlResult(0, "rbac.authorization.k8s.io/v1 view fluentd-account", ""), asV1);
        Assert.Equal(new KubectlResult(0, "rbac.authorization.k8s.io/v1beta1", Warning), asV1beta1);
    }

    public void Dispose() => _directory.Dispose();
}
