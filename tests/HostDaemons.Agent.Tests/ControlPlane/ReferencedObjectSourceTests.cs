using Google.Protobuf;
using Grpc.Core;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Desired;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.ControlPlane;

public sealed class ReferencedObjectSourceTests : IDisposable
{
    private readonly TempDirectory _state = new("hd-objects");
    private readonly FakeNodeClient _client = new();
    private readonly ReconcileSignal _signal = new(TimeProvider.System);
    private readonly AssignedPods _assigned;
    private readonly TestHostApplicationLifetime _lifetime = new();
    private readonly ReferencedObjectSource _source;
    private readonly Dictionary<string, ConfigMap> _configMaps = new(StringComparer.Ordinal);

    public ReferencedObjectSourceTests()
    {
        var options = Options.Create(new AgentOptions { NodeName = TestPods.Node, StateDir = _state.Path });
        _assigned = new AssignedPods(options, _signal, NullLogger<AssignedPods>.Instance);
        _source = new ReferencedObjectSource(_client, _assigned, _signal, new FakeTimeProvider(AgentHarness.Epoch), TimeSpan.FromSeconds(20), _lifetime,
            NullLogger.Instance);
        _client.PodResources = request => Answer(request);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _source.Dispose();
        _lifetime.Dispose();
        _state.Dispose();
    }

    [Fact]
    public async Task GetAsync_PodReferencingNothingAndSayingItsTokenMount_NoCall()
    {
        var pod = Plain("uid-1");
        _assigned.ReplaceAll([pod], 1);

        Assert.Same(ReferencedObjects.None, await _source.GetAsync(pod, Ct).DefaultTimeout());
        Assert.Empty(_client.PodResourceRequests);
    }

    [Fact]
    public async Task GetAsync_NewPod_AsksForItOnceAndRemembersTheAnswer()
    {
        SetConfigMap("app", "level", "info");
        var pod = PodUsing("uid-1", "app");
        _assigned.ReplaceAll([pod], 1);

        var first = await _source.GetAsync(pod, Ct).DefaultTimeout();
        var second = await _source.GetAsync(pod, Ct).DefaultTimeout();

        Assert.True(first.Known);
        Assert.Equal("info", first.ConfigMaps["app"].Data["level"]);
        Assert.Same(first, second);
        var request = Assert.Single(_client.PodResourceRequests);
        Assert.Equal(new PodKey { Namespace = TestPods.Namespace, Name = pod.Metadata.Name, Uid = "uid-1" }, Assert.Single(request.Pods));
    }

    [Fact]
    public async Task GetAsync_PodNotAssigned_IsAStaticPodAndGetsNothingWithoutACall()
    {
        SetConfigMap("app", "level", "info");

        var found = await _source.GetAsync(PodUsing("static-uid", "app"), Ct).DefaultTimeout();

        Assert.Same(ReferencedObjects.None, found);
        Assert.Empty(_client.PodResourceRequests);
    }

    [Fact]
    public async Task GetAsync_ControlPlaneAwayBeforeTheFirstAnswer_IsUnknown()
    {
        var pod = PodUsing("uid-1", "app");
        _assigned.ReplaceAll([pod], 1);
        _client.PodResources = _ => throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "down"));

        var found = await _source.GetAsync(pod, Ct).DefaultTimeout();

        Assert.False(found.Known);
    }

    [Fact]
    public async Task RefreshAsync_AssignedPods_OneCallForThoseThatReferenceObjects()
    {
        SetConfigMap("app", "level", "info");
        var terminating = TestPods.Terminating(PodUsing("uid-3", "app"));
        _assigned.ReplaceAll([PodUsing("uid-1", "app"), Plain("uid-2", "plain"), terminating, PodUsing("uid-4", "missing")], 1);

        await _source.RefreshAsync(Ct).DefaultTimeout();

        var request = Assert.Single(_client.PodResourceRequests);
        Assert.Equal(["uid-1", "uid-4"], request.Pods.Select(p => p.Uid).Order());
        Assert.Equal("info", _source.Current("uid-1")!.ConfigMaps["app"].Data["level"]);
        Assert.Empty(_source.Current("uid-4")!.ConfigMaps);
        Assert.Null(_source.Current("uid-2"));
    }

    [Fact]
    public async Task RefreshAsync_ChangedObject_NewVersionAndTheReconcilerWakes()
    {
        SetConfigMap("app", "level", "info");
        _assigned.ReplaceAll([PodUsing("uid-1", "app")], 1);
        await _source.RefreshAsync(Ct).DefaultTimeout();
        var before = _source.Current("uid-1")!;
        await _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct).DefaultTimeout();
        await _source.RefreshAsync(Ct).DefaultTimeout();
        Assert.Same(before, _source.Current("uid-1"));
        var woken = _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct);
        Assert.False(woken.IsCompleted);

        SetConfigMap("app", "level", "debug");
        await _source.RefreshAsync(Ct).DefaultTimeout();

        var after = _source.Current("uid-1")!;
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal("debug", after.ConfigMaps["app"].Data["level"]);
        await woken.DefaultTimeout();
    }

    [Fact]
    public async Task RefreshAsync_ControlPlaneAway_KeepsWhatThePodLastHad()
    {
        SetConfigMap("app", "level", "info");
        _assigned.ReplaceAll([PodUsing("uid-1", "app")], 1);
        await _source.RefreshAsync(Ct).DefaultTimeout();
        _client.PodResources = _ => throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "down"));

        await _source.RefreshAsync(Ct).DefaultTimeout();

        Assert.Equal("info", _source.Current("uid-1")!.ConfigMaps["app"].Data["level"]);
        Assert.Equal("info", (await _source.GetAsync(PodUsing("uid-1", "app"), Ct).DefaultTimeout()).ConfigMaps["app"].Data["level"]);
    }

    [Fact]
    public async Task RefreshAsync_PodGoneOrNotFound_IsForgotten()
    {
        _assigned.ReplaceAll([PodUsing("uid-1", "app"), PodUsing("uid-2", "app", name: "other")], 1);
        await _source.RefreshAsync(Ct).DefaultTimeout();
        Assert.Equal(2, _source.Remembered);
        _client.PodResources = request => new GetPodResourcesResponse
        {
            Pods = { request.Pods.Select(p => p.Uid == "uid-2" ? new PodResources { Pod = p, NotFound = true } : new PodResources { Pod = p }) },
        };
        _assigned.ReplaceAll([PodUsing("uid-2", "app", name: "other")], 2);

        await _source.RefreshAsync(Ct).DefaultTimeout();

        Assert.Equal(0, _source.Remembered);
    }

    [Fact]
    public async Task RefreshAsync_Secrets_AreKeptWithTheirBytes()
    {
        var pod = TestPods.Pod(uid: "uid-1");
        pod.Spec.Volumes.Add(new Volume { Name = "t", Secret = new SecretVolumeSource { SecretName = "token" } });
        _assigned.ReplaceAll([pod], 1);
        _client.PodResources = request => new GetPodResourcesResponse
        {
            Pods =
            {
                new PodResources
                {
                    Pod = request.Pods[0],
                    Secrets = { new Secret { Metadata = new ObjectMeta { Name = "token" }, Data = { ["t"] = ByteString.CopyFromUtf8("s3cr3t") } } },
                },
            },
        };

        await _source.RefreshAsync(Ct).DefaultTimeout();

        Assert.Equal("s3cr3t", _source.Current("uid-1")!.Secrets["token"].Data["t"].ToStringUtf8());
        Assert.DoesNotContain(Directory.EnumerateFiles(_state.Path, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_PodNotSayingWhetherItGetsAToken_AsksForItsServiceAccount()
    {
        var pod = TestPods.Pod(uid: "uid-1");
        _assigned.ReplaceAll([pod], 1);
        var account = new ServiceAccount { Metadata = new ObjectMeta { Name = "default", Namespace = TestPods.Namespace, Uid = "sa-1" }, AutomountServiceAccountToken = false };
        _client.PodResources = request => new GetPodResourcesResponse { Pods = { new PodResources { Pod = request.Pods[0], ServiceAccount = account } } };

        var found = await _source.GetAsync(pod, Ct).DefaultTimeout();

        Assert.Equal(account, found.ServiceAccount);
        Assert.Single(_client.PodResourceRequests);
    }

    /// <summary>A pod that uses no object and says whether it gets a token: nothing to ask for.</summary>
    private static Pod Plain(string uid, string name = "fluentd-x7k2p")
    {
        var pod = TestPods.Pod(name: name, uid: uid);
        pod.Spec.AutomountServiceAccountToken = false;
        return pod;
    }

    private static Pod PodUsing(string uid, string configMap, string name = "fluentd-x7k2p")
    {
        var pod = TestPods.Pod(name: name, uid: uid);
        pod.Spec.Volumes.Add(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = configMap } });
        return pod;
    }

    private void SetConfigMap(string name, string key, string value)
    {
        lock (_configMaps)
        {
            _configMaps[name] = new ConfigMap { Metadata = new ObjectMeta { Name = name, Namespace = TestPods.Namespace }, Data = { [key] = value } };
        }
    }

    private GetPodResourcesResponse Answer(GetPodResourcesRequest request)
    {
        var response = new GetPodResourcesResponse();
        lock (_configMaps)
        {
            foreach (var key in request.Pods)
            {
                var pod = _assigned.Current.Single(p => p.Metadata.Uid == key.Uid);
                var answer = new PodResources { Pod = key };
                answer.ConfigMaps.Add(Model.Objects.PodReferences.ConfigMaps(pod.Spec).Where(_configMaps.ContainsKey).Select(n => _configMaps[n].Clone()));
                response.Pods.Add(answer);
            }
        }

        return response;
    }
}
