using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Tests.Nodes;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Labels;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.NodeServiceHarness;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

/// <summary>NodeRestriction on the node API: the labels a node registers with, its Node's spec, and the mirror pods it may create.</summary>
public sealed class NodeRestrictionTests : IAsyncLifetime
{
    private readonly NodeServiceHarness _api = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private Task<RegisterResponse> RegisterAsync(string node, params (string Key, string Value)[] labels)
    {
        var request = new RegisterRequest();
        foreach (var (key, value) in labels)
        {
            request.Labels[key] = value;
        }

        return _api.Service.Register(request, As(node));
    }

    [Fact]
    public async Task Register_NodeRestrictionLabel_RefusedWithKubernetesMessageAndNoNode()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => RegisterAsync("worker-1", ("disk", "ssd"), ("node-restriction.kubernetes.io/x", "y")));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(
            $"nodes \"worker-1\" is forbidden: node \"worker-1\" is not allowed to set the following labels: node-restriction.kubernetes.io/x ({NodeLabelRestriction.Rule})",
            ex.Status.Detail);
        Assert.Null(_api.Store.Get<Node>("", "worker-1"));
    }

    [Fact]
    public async Task Register_SeveralForbiddenLabels_AllNamedSorted()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            RegisterAsync("worker-1", ("other.kubernetes.io/x", "1"), ("a.node-restriction.kubernetes.io/x", "1"), ("example.k8s.io/y", "1"), ("kubernetes.io/hostname", "w")));

        Assert.Contains("is not allowed to set the following labels: a.node-restriction.kubernetes.io/x, example.k8s.io/y, other.kubernetes.io/x (", ex.Status.Detail,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_AllowedLabels_SetOnTheNewNode()
    {
        (string, string)[] labels =
        [
            ("disk", "ssd"), ("example.com/rack", "r1"), ("node.kubernetes.io/instance-type", "m5"), ("topology.kubernetes.io/zone", "eu-1a"),
            ("kubelet.kubernetes.io/x", "1"), ("node.hostdaemons.io/pool", "edge"), ("beta.kubernetes.io/arch", "amd64"),
        ];

        var node = (await RegisterAsync("worker-1", labels).DefaultTimeout()).Node;

        Assert.All(labels, l => Assert.Equal(l.Item2, node.Metadata.Labels[l.Item1]));
    }

    [Fact]
    public async Task Register_ExistingNodeWithForbiddenLabel_RefusedAndNodeUnchanged()
    {
        var before = (await RegisterAsync("worker-1", ("disk", "ssd")).DefaultTimeout()).Node;

        var ex = await Assert.ThrowsAsync<RpcException>(() => RegisterAsync("worker-1", ("node-restriction.kubernetes.io/trusted", "true")));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(before, _api.Store.Get<Node>("", "worker-1"));
    }

    [Fact]
    public async Task Register_Again_NeverChangesTaintsOrUnschedulable()
    {
        await RegisterAsync("worker-1").DefaultTimeout();
        await _api.Store.MutateAsync<Node>("", "worker-1", n =>
        {
            n.Spec.Unschedulable = true;
            n.Spec.Taints.Add(Taint("node.kubernetes.io/unschedulable", "NoSchedule"));
            n.Spec.Taints.Add(Taint("dedicated", "NoExecute", "db"));
            return true;
        }, Token).DefaultTimeout();
        var spec = _api.Store.Get<Node>("", "worker-1")!.Spec.Clone();

        await RegisterAsync("worker-1", ("disk", "ssd")).DefaultTimeout();

        Assert.Equal(spec, _api.Store.Get<Node>("", "worker-1")!.Spec);
    }

    public static TheoryData<string, string> MirrorReferences => new()
    {
        { "imagePullSecrets", "spec.imagePullSecrets[0] names Secret \"regcred\"" },
        { "serviceAccountName", "spec.serviceAccountName names ServiceAccount \"monitor\"" },
        { "secret volume", "spec.volumes[0].secret names Secret volume \"v\"" },
        { "configMap volume", "spec.volumes[0].configMap names ConfigMap volume \"v\"" },
        { "secretKeyRef", "spec.containers[0].env[0].valueFrom.secretKeyRef names Secret \"s\"" },
        { "configMapRef", "spec.containers[0].envFrom[0].configMapRef names ConfigMap \"c\"" },
    };

    [Theory]
    [MemberData(nameof(MirrorReferences))]
    public async Task SyncStaticPods_MirrorReferencingAnApiObject_RejectedNamingTheFieldAndNoCredentials(string reference, string named)
    {
        await RegisterAsync("n1").DefaultTimeout();
        var pod = MirrorPodsTests.StaticPod("web", "n1");
        var spec = pod.Spec;
        switch (reference)
        {
            case "imagePullSecrets":
                spec.ImagePullSecrets.Add(new LocalObjectReference { Name = "regcred" });
                break;
            case "serviceAccountName":
                spec.ServiceAccountName = "monitor";
                break;
            case "secret volume":
                spec.Volumes.Add(new Volume { Name = "v", Secret = new SecretVolumeSource { SecretName = "s" } });
                break;
            case "configMap volume":
                spec.Volumes.Add(new Volume { Name = "v", ConfigMap = new ConfigMapVolumeSource { Name = "c" } });
                break;
            case "secretKeyRef":
                spec.Containers[0].Env.Add(new EnvVar { Name = "K", ValueFrom = new EnvVarSource { SecretKeyRef = new SecretKeySelector { Name = "s", Key = "k" } } });
                break;
            case "configMapRef":
                spec.Containers[0].EnvFrom.Add(new EnvFromSource { ConfigMapRef = new ConfigMapEnvSource { Name = "c" } });
                break;
        }

        var response = await _api.Service.SyncStaticPods(new SyncStaticPodsRequest { Pods = { pod } }, As("n1")).DefaultTimeout();

        Assert.Equal($"pod default/web-n1 is not mirrored: node \"n1\" can not create pods that reference API objects: {named}", Assert.Single(response.Rejected));
        Assert.Null(_api.Store.Get<Pod>("default", "web-n1"));
        var key = new PodKey { Namespace = "default", Name = "web-n1", Uid = pod.Metadata.Uid };
        var ex = await Assert.ThrowsAsync<RpcException>(() => _api.Service.GetPullCredentials(new GetPullCredentialsRequest { Pod = key }, As("n1")));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }
}
