using Google.Protobuf;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.NodeServiceHarness;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class NodeServicePodResourcesTests : IAsyncLifetime
{
    private readonly NodeServiceHarness _api = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task GetPodResources_OwnPod_ReturnsEveryReferencedObjectOfItsNamespace()
    {
        await ConfigMapAsync("app-config", "default", ("app.conf", "level=info"));
        await ConfigMapAsync("env-config", "default", ("MODE", "fast"));
        await ConfigMapAsync("app-config", "other", ("app.conf", "from another namespace"));
        await ConfigMapAsync("unreferenced", "default", ("x", "y"));
        await SecretAsync("token", "default", ("token", "s3cr3t"));
        await SecretAsync("init-secret", "default", ("k", "v"));
        var pod = await PodAsync("worker-1", spec =>
        {
            spec.Volumes.Add(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "app-config" } });
            spec.Volumes.Add(new Volume
            {
                Name = "all",
                Projected = new ProjectedVolumeSource { Sources = { new VolumeProjection { Secret = new SecretProjection { Name = "token" } } } },
            });
            spec.Containers[0].EnvFrom.Add(new EnvFromSource { ConfigMapRef = new ConfigMapEnvSource { Name = "env-config" } });
            spec.InitContainers.Add(new Container
            {
                Name = "init",
                Image = "busybox:1.36",
                Env = { new EnvVar { Name = "K", ValueFrom = new EnvVarSource { SecretKeyRef = new SecretKeySelector { Name = "init-secret", Key = "k" } } } },
            });
        });

        var response = await _api.Service.GetPodResources(Request(pod), As("worker-1")).DefaultTimeout();

        var answer = Assert.Single(response.Pods);
        Assert.False(answer.NotFound);
        Assert.Equal(pod.Metadata.Uid, answer.Pod.Uid);
        Assert.Equal(["app-config", "env-config"], answer.ConfigMaps.Select(c => c.Metadata.Name));
        Assert.Equal("level=info", answer.ConfigMaps[0].Data["app.conf"]);
        Assert.All(answer.ConfigMaps, c => Assert.Equal("default", c.Metadata.Namespace));
        Assert.Equal(["init-secret", "token"], answer.Secrets.Select(s => s.Metadata.Name));
        Assert.Equal("s3cr3t", answer.Secrets[1].Data["token"].ToStringUtf8());
    }

    [Fact]
    public async Task GetPodResources_ItsServiceAccount_NameUidAndAutomountOnly()
    {
        await _api.Store.CreateAsync(new ServiceAccount
        {
            ApiVersion = "v1",
            Kind = "ServiceAccount",
            Metadata = new ObjectMeta { Name = "probe", Namespace = "default", Annotations = { ["note"] = "stays here" } },
            AutomountServiceAccountToken = false,
            Secrets = { new EventObjectReference { Name = "old-token" } },
        }, Token).DefaultTimeout();
        var pod = await PodAsync("worker-1", spec => spec.ServiceAccountName = "probe");
        var orphan = await PodAsync("worker-1", spec => spec.ServiceAccountName = "missing", "other");

        var response = await _api.Service.GetPodResources(new GetPodResourcesRequest { Pods = { Request(pod).Pods[0], Request(orphan).Pods[0] } }, As("worker-1")).DefaultTimeout();

        var account = response.Pods[0].ServiceAccount;
        Assert.Equal(("probe", false, true), (account.Metadata.Name, account.AutomountServiceAccountToken, account.Metadata.Uid.Length > 0));
        Assert.Empty(account.Metadata.Annotations);
        Assert.Empty(account.Secrets);
        Assert.Null(response.Pods[1].ServiceAccount);
    }

    [Fact]
    public async Task GetPodResources_MissingObject_IsSimplyAbsent()
    {
        await ConfigMapAsync("present", "default", ("k", "v"));
        var pod = await PodAsync("worker-1", spec =>
        {
            spec.Volumes.Add(new Volume { Name = "a", ConfigMap = new ConfigMapVolumeSource { Name = "missing" } });
            spec.Volumes.Add(new Volume { Name = "b", ConfigMap = new ConfigMapVolumeSource { Name = "present" } });
            spec.Volumes.Add(new Volume { Name = "c", Secret = new SecretVolumeSource { SecretName = "missing-secret" } });
        });

        var answer = Assert.Single((await _api.Service.GetPodResources(Request(pod), As("worker-1")).DefaultTimeout()).Pods);

        Assert.False(answer.NotFound);
        Assert.Equal("present", Assert.Single(answer.ConfigMaps).Metadata.Name);
        Assert.Empty(answer.Secrets);
    }

    [Fact]
    public async Task GetPodResources_ForgedRequestForAnotherNodesPod_IsNotFoundWithNothingElse()
    {
        await SecretAsync("token", "default", ("token", "not-for-worker-2"));
        var pod = await PodAsync("worker-1", spec => spec.Volumes.Add(new Volume { Name = "t", Secret = new SecretVolumeSource { SecretName = "token" } }));

        var answer = Assert.Single((await _api.Service.GetPodResources(Request(pod), As("worker-2")).DefaultTimeout()).Pods);

        Assert.Equal(new HostDaemons.Api.V1.PodResources { Pod = Request(pod).Pods[0], NotFound = true }, answer);
    }

    [Fact]
    public async Task GetPodResources_StaleUidOrUnknownPod_IsNotFound()
    {
        await SecretAsync("token", "default", ("token", "v"));
        var pod = await PodAsync("worker-1", spec => spec.Volumes.Add(new Volume { Name = "t", Secret = new SecretVolumeSource { SecretName = "token" } }));
        var request = Request(pod);
        request.Pods[0].Uid = "an-earlier-pod";
        request.Pods.Add(new PodKey { Namespace = "default", Name = "no-such-pod", Uid = "u" });

        var response = await _api.Service.GetPodResources(request, As("worker-1")).DefaultTimeout();

        Assert.Equal([true, true], response.Pods.Select(p => p.NotFound));
        Assert.All(response.Pods, p => Assert.Empty(p.Secrets));
        Assert.Equal(["web-0", "no-such-pod"], response.Pods.Select(p => p.Pod.Name));
    }

    [Fact]
    public async Task GetPodResources_MirrorPodOfTheCallingNode_IsNotFound()
    {
        await SecretAsync("token", "kube-system", ("token", "v"));
        var pod = await PodAsync("worker-1", spec => spec.Volumes.Add(new Volume { Name = "t", Secret = new SecretVolumeSource { SecretName = "token" } }),
            "kube-system", mirror: true);

        var answer = Assert.Single((await _api.Service.GetPodResources(Request(pod), As("worker-1")).DefaultTimeout()).Pods);

        Assert.True(answer.NotFound);
        Assert.Empty(answer.Secrets);
    }

    [Fact]
    public async Task GetPodResources_Objects_CarryNoAnnotationsOrLabels()
    {
        var configMap = new ConfigMap { Metadata = new ObjectMeta { Name = "c", Namespace = "default" } };
        configMap.Data["k"] = "v";
        configMap.Metadata.Annotations["kubectl.kubernetes.io/last-applied-configuration"] = "{\"data\":{\"k\":\"v\"}}";
        configMap.Metadata.Labels["team"] = "a";
        await _api.Store.CreateAsync(configMap, Token).DefaultTimeout();
        var pod = await PodAsync("worker-1", spec => spec.Volumes.Add(new Volume { Name = "c", ConfigMap = new ConfigMapVolumeSource { Name = "c" } }));

        var sent = Assert.Single(Assert.Single((await _api.Service.GetPodResources(Request(pod), As("worker-1")).DefaultTimeout()).Pods).ConfigMaps);

        Assert.Empty(sent.Metadata.Annotations);
        Assert.Empty(sent.Metadata.Labels);
        Assert.NotEmpty(sent.Metadata.Uid);
        Assert.NotEmpty(sent.Metadata.ResourceVersion);
    }

    private async Task<Pod> PodAsync(string node, Action<PodSpec> configure, string @namespace = "default", bool mirror = false)
    {
        var pod = Pod("web-0", node, @namespace);
        configure(pod.Spec);
        if (mirror)
        {
            pod.Metadata.Annotations[MirrorPodAnnotations.Mirror] = "hash";
        }

        return await _api.Store.CreateAsync(pod, Token).DefaultTimeout();
    }

    private async Task ConfigMapAsync(string name, string @namespace, params (string Key, string Value)[] data)
    {
        var configMap = new ConfigMap { Metadata = new ObjectMeta { Name = name, Namespace = @namespace } };
        foreach (var (key, value) in data)
        {
            configMap.Data[key] = value;
        }

        await _api.Store.CreateAsync(configMap, Token).DefaultTimeout();
    }

    private async Task SecretAsync(string name, string @namespace, params (string Key, string Value)[] data)
    {
        var secret = new Secret { Metadata = new ObjectMeta { Name = name, Namespace = @namespace }, Type = SecretTypes.Opaque };
        foreach (var (key, value) in data)
        {
            secret.Data[key] = ByteString.CopyFromUtf8(value);
        }

        await _api.Store.CreateAsync(secret, Token).DefaultTimeout();
    }

    private static GetPodResourcesRequest Request(Pod pod) => new()
    {
        Pods = { new PodKey { Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid } },
    };
}
