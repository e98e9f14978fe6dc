using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// The kubectl commands whose typed clients send protobuf bodies (<c>application/vnd.kubernetes.protobuf</c>) and ask
/// for protobuf answers, run with the real kubectl against a development-mode control plane.
/// </summary>
public sealed class KubectlProtobufTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("hd-kubectl-pb");
    private TestControlPlane? _controlPlane;
    private Kubectl? _kubectl;

    private Kubectl Kubectl => _kubectl!;

    public async ValueTask InitializeAsync()
    {
        _controlPlane = await TestControlPlane.StartAsync(_directory.Combine("store"));
        _kubectl = Infrastructure.Kubectl.ForDevelopment(_controlPlane.Url);
    }

    public async ValueTask DisposeAsync()
    {
        _kubectl?.Dispose();
        if (_controlPlane is not null)
        {
            await _controlPlane.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task CreateSecretGeneric_ReadsBack_AndAgainIsAlreadyExists()
    {
        var created = await Kubectl.RunAsync("create", "secret", "generic", "s", "--from-literal=a=b");
        var read = await Kubectl.RunAsync("get", "secret", "s", "-o", "jsonpath={.data.a}");
        var again = await Kubectl.RunAsync("create", "secret", "generic", "s", "--from-literal=a=c");

        Assert.Equal(new KubectlResult(0, "secret/s created\n", ""), created);
        Assert.Equal(new KubectlResult(0, "Yg==", ""), read);
        Assert.Equal(new KubectlResult(1, "", "error: failed to create secret secrets \"s\" already exists\n"), again);
    }

    [Fact]
    public async Task CreateSecretDockerRegistry_TypeAndConfigAreStored()
    {
        var created = await Kubectl.RunAsync("create", "secret", "docker-registry", "regcred", "--docker-server=registry.example", "--docker-username=u", "--docker-password=p");
        var type = await Kubectl.RunAsync("get", "secret", "regcred", "-o", "jsonpath={.type}");

        Assert.Equal(new KubectlResult(0, "secret/regcred created\n", ""), created);
        Assert.Equal(new KubectlResult(0, "kubernetes.io/dockerconfigjson", ""), type);
    }

    [Fact]
    public async Task CreateConfigMapAndNamespace_AsKubectlPrintsThem()
    {
        var configMap = await Kubectl.RunAsync("create", "configmap", "settings", "--from-literal=level=debug");
        var value = await Kubectl.RunAsync("get", "configmap", "settings", "-o", "jsonpath={.data.level}");
        var ns = await Kubectl.RunAsync("create", "namespace", "team-a");
        var inNamespace = await Kubectl.RunAsync("create", "configmap", "c", "-n", "team-a", "--from-literal=a=b");
        var phase = await Kubectl.RunAsync("get", "namespace", "team-a", "-o", "jsonpath={.status.phase}");

        Assert.Equal(new KubectlResult(0, "configmap/settings created\n", ""), configMap);
        Assert.Equal(new KubectlResult(0, "debug", ""), value);
        Assert.Equal(new KubectlResult(0, "namespace/team-a created\n", ""), ns);
        Assert.Equal(new KubectlResult(0, "configmap/c created\n", ""), inNamespace);
        Assert.Equal(new KubectlResult(0, "Active", ""), phase);
    }

    [Fact]
    public async Task CreateServiceAccountRbacPriorityClassAndService_AsKubectlPrintsThem()
    {
        Assert.Equal(new KubectlResult(0, "serviceaccount/robot created\n", ""), await Kubectl.RunAsync("create", "serviceaccount", "robot"));
        Assert.Equal(new KubectlResult(0, "role.rbac.authorization.k8s.io/reader created\n", ""),
            await Kubectl.RunAsync("create", "role", "reader", "--verb=get,list", "--resource=pods"));
        Assert.Equal(new KubectlResult(0, "rolebinding.rbac.authorization.k8s.io/reader created\n", ""),
            await Kubectl.RunAsync("create", "rolebinding", "reader", "--role=reader", "--serviceaccount=default:robot"));
        Assert.Equal(new KubectlResult(0, "priorityclass.scheduling.k8s.io/high created\n", ""), await Kubectl.RunAsync("create", "priorityclass", "high", "--value=1000"));
        Assert.Equal(new KubectlResult(0, "robot", ""), await Kubectl.RunAsync("get", "rolebinding", "reader", "-o", "jsonpath={.subjects[0].name}"));
        Assert.Equal(new KubectlResult(0, "service/web created\n", ""), await Kubectl.RunAsync("create", "service", "clusterip", "web", "--clusterip=None", "--tcp=80:http"));
        Assert.Equal(new KubectlResult(0, "http None", ""), await Kubectl.RunAsync("get", "service", "web", "-o", "jsonpath={.spec.ports[0].targetPort} {.spec.clusterIP}"));
    }

    [Fact]
    public async Task AuthCanI_AndWhoAmI_AnswerFromRbac()
    {
        var canI = await Kubectl.RunAsync("auth", "can-i", "create", "daemonsets");
        var list = await Kubectl.RunAsync("auth", "can-i", "--list");
        var whoami = await Kubectl.RunAsync("auth", "whoami");

        Assert.Equal(new KubectlResult(0, "yes\n", ""), canI);
        Assert.Equal((0, ""), (list.ExitCode, list.Error));
        var rows = list.Output.Split('\n').Select(line => System.Text.RegularExpressions.Regex.Split(line.Trim(), @"\s{2,}")).ToList();
        Assert.Equal(["Resources", "Non-Resource URLs", "Resource Names", "Verbs"], rows[0]);
        Assert.Equal(["*.*", "[]", "[]", "[*]"], rows[1]);
        Assert.Contains(["selfsubjectaccessreviews.authorization.k8s.io", "[]", "[]", "[create]"], rows);
        Assert.Equal(new KubectlResult(0, """
            ATTRIBUTE   VALUE
            Username    system:admin
            Groups      [system:masters system:authenticated]

            """.ReplaceLineEndings("\n"), ""), whoami);
    }

    [Fact]
    public async Task OverTls_AUserWithoutBindings_CannotAndIsForbiddenInProtobuf()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("tls"));
        var admin = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        var vivConfig = _directory.Combine("viv.conf");
        await File.WriteAllTextAsync(vivConfig, await admin.OkAsync("kubeconfig", "user", "--client-name", "viv", "--org", "viewers"), TestContext.Current.CancellationToken);
        using var viv = Infrastructure.Kubectl.WithKubeconfig(vivConfig);

        var canI = await viv.RunAsync("auth", "can-i", "create", "daemonsets");
        var whoami = await viv.RunAsync("auth", "whoami");
        var create = await viv.RunAsync("create", "secret", "generic", "s", "--from-literal=a=b");

        Assert.Equal(new KubectlResult(1, "no\n", ""), canI);
        Assert.Equal(new KubectlResult(0, """
            ATTRIBUTE   VALUE
            Username    viv
            Groups      [viewers system:authenticated]

            """.ReplaceLineEndings("\n"), ""), whoami);
        Assert.Equal(new KubectlResult(1, "", "error: failed to create secret secrets is forbidden: User \"viv\" cannot create resource \"secrets\" in API group \"\" in the namespace \"default\"\n"), create);
    }
}
