using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.NodeServiceHarness;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

/// <summary>
/// The node authorizer over every node RPC that names a pod: node A acts on its own pods only, reads objects only for
/// its pods that are not mirrors, and an answer about another node's pod is the answer about no pod at all.
/// </summary>
public sealed class NodeAuthorizationTests : IAsyncLifetime
{
    private const string NodeA = "node-a";
    private const string NodeB = "node-b";

    private readonly NodeServiceHarness _api = new();
    private readonly Dictionary<string, Pod> _pods = new(StringComparer.Ordinal);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var secret = new Secret { Metadata = new ObjectMeta { Name = "regcred", Namespace = "default" }, Type = SecretTypes.DockerConfigJson };
        secret.Data[SecretTypes.DockerConfigJsonKey] = ByteString.CopyFrom(DockerConfigJson.Build("r.io", "alice", "pw", ""));
        await _api.Store.CreateAsync(secret, Token).DefaultTimeout();
        var configMap = new ConfigMap { Metadata = new ObjectMeta { Name = "settings", Namespace = "default" } };
        configMap.Data["k"] = "v";
        await _api.Store.CreateAsync(configMap, Token).DefaultTimeout();
        foreach (var (name, node, mirror) in new[] { ("a-pod", NodeA, false), ("b-pod", NodeB, false), ("a-mirror", NodeA, true), ("b-mirror", NodeB, true) })
        {
            _pods[name] = await _api.Store.CreateAsync(PodUsingObjects(name, node, mirror), Token).DefaultTimeout();
        }

        await _api.StartHubAsync();
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    /// <summary>
    /// A pod naming a pull secret and a ConfigMap. A mirror pod is written straight to the store: one such can exist
    /// only from before mirror pods were refused their references, which is what the regression is about.
    /// </summary>
    private static Pod PodUsingObjects(string name, string node, bool mirror)
    {
        var pod = Pod(name, node);
        pod.Spec.ImagePullSecrets.Add(new LocalObjectReference { Name = "regcred" });
        pod.Spec.Volumes.Add(new Volume { Name = "settings", ConfigMap = new ConfigMapVolumeSource { Name = "settings" } });
        if (mirror)
        {
            pod.Metadata.Uid = name + "-hash";
            pod.Metadata.Annotations[MirrorPodAnnotations.Mirror] = pod.Metadata.Uid;
        }

        return pod;
    }

    private static PodKey Key(Pod pod) => new() { Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid };

    public static TheoryData<string, string, bool> Table => new()
    {
        // RPC, the pod node A names, whether A may act on it.
        { "ReportPodStatus", "a-pod", true },
        { "ReportPodStatus", "b-pod", false },
        { "ReportPodStatus", "a-mirror", true },
        { "ReportPodStatus", "b-mirror", false },
        { "ReportPodStatus", "a-pod stale uid", false },
        { "ReportPodTerminated", "a-pod", true },
        { "ReportPodTerminated", "b-pod", false },
        { "ReportPodTerminated", "b-mirror", false },
        { "ReportEvents", "a-pod", true },
        { "ReportEvents", "b-pod", false },
        { "ReportEvents", "a-mirror", true },
        { "ReportEvents", "b-mirror", false },
        { "ReportEvents", "a-pod stale uid", false },
        { "GetPullCredentials", "a-pod", true },
        { "GetPullCredentials", "b-pod", false },
        { "GetPullCredentials", "a-mirror", false },
        { "GetPullCredentials", "b-mirror", false },
        { "GetPullCredentials", "a-pod stale uid", false },
        { "GetPodResources", "a-pod", true },
        { "GetPodResources", "b-pod", false },
        { "GetPodResources", "a-mirror", false },
        { "GetPodResources", "b-mirror", false },
        { "GetPodResources", "a-pod stale uid", false },
        { "WatchPods", "a-pod", true },
        { "WatchPods", "b-pod", false },
        { "WatchPods", "a-mirror", false },
        { "WatchPods", "b-mirror", false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task NodeRpc_PodNamedByNodeA_ActsOnlyOnItsOwn(string rpc, string target, bool allowed)
    {
        var pod = _pods[target.Split(' ')[0]];
        var key = Key(pod);
        if (target.EndsWith("stale uid", StringComparison.Ordinal))
        {
            key.Uid = "an-earlier-pod";
        }

        Assert.Equal(allowed, await ActsOnAsync(rpc, pod, key));
    }

    [Fact]
    public async Task GetPullCredentials_AnotherNodesOrAMirrorPod_AnsweredAsAPodThatDoesNotExist()
    {
        var absent = await Assert.ThrowsAsync<RpcException>(() =>
            _api.Service.GetPullCredentials(new GetPullCredentialsRequest { Pod = new PodKey { Namespace = "default", Name = "b-pod", Uid = "nothing" } }, As(NodeA)));

        foreach (var name in new[] { "b-pod", "a-mirror", "b-mirror" })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => _api.Service.GetPullCredentials(new GetPullCredentialsRequest { Pod = Key(_pods[name]) }, As(NodeA)));
            Assert.Equal((StatusCode.NotFound, absent.Status.Detail.Replace("b-pod", name, StringComparison.Ordinal)), (refused.StatusCode, refused.Status.Detail));
        }
    }

    [Fact]
    public async Task GetPodResources_AnotherNodesOrAMirrorPod_AnsweredAsAPodThatDoesNotExist()
    {
        foreach (var name in new[] { "b-pod", "a-mirror", "b-mirror" })
        {
            var key = Key(_pods[name]);
            var absentKey = new PodKey { Namespace = key.Namespace, Name = "no-such-pod", Uid = key.Uid };

            var response = await _api.Service.GetPodResources(new GetPodResourcesRequest { Pods = { key, absentKey } }, As(NodeA)).DefaultTimeout();

            var asAbsent = response.Pods[1].Clone();
            asAbsent.Pod = key;
            Assert.Equal(asAbsent, response.Pods[0]);
            Assert.Equal(new HostDaemons.Api.V1.PodResources { Pod = key, NotFound = true }, response.Pods[0]);
        }
    }

    [Fact]
    public async Task SendLogs_UploadForARequestSentToAnotherNode_IsDropped()
    {
        var requests = _api.Tunnels.Connect(NodeB);
        var received = new List<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var data in _api.Tunnels.StreamLogsAsync(NodeB, new PodLogsRequest { Pod = Key(_pods["b-pod"]) }, Token))
            {
                received.Add(data.ToStringUtf8());
            }
        }, Token);
        var request = await requests.ReadAsync(Token).AsTask().DefaultTimeout();

        await _api.Service.SendLogs(Upload(request.RequestId, "forged by node-a\n"), As(NodeA)).DefaultTimeout();
        await _api.Service.SendLogs(Upload(request.RequestId, "from node-b\n"), As(NodeB)).DefaultTimeout();
        await reading.DefaultTimeout();

        Assert.Equal(["from node-b\n"], received);
    }

    [Fact]
    public async Task ReceiveRequests_RequestForAnotherNode_NeverReachesTheCaller()
    {
        var ofA = _api.Tunnels.Connect(NodeA);
        var ofB = _api.Tunnels.Connect(NodeB);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var asking = Task.Run(async () =>
        {
            await foreach (var _ in _api.Tunnels.StreamLogsAsync(NodeB, new PodLogsRequest { Pod = Key(_pods["b-pod"]) }, cancel.Token))
            {
            }
        }, Token);

        var request = await ofB.ReadAsync(Token).AsTask().DefaultTimeout();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => asking.DefaultTimeout());

        Assert.Equal("b-pod", request.Logs.Pod.Name);
        Assert.False(ofA.TryRead(out _));
    }

    private async Task<bool> ActsOnAsync(string rpc, Pod pod, PodKey key)
    {
        var caller = As(NodeA);
        switch (rpc)
        {
            case "ReportPodStatus":
                await _api.Service.ReportPodStatus(new ReportPodStatusRequest { Reports = { new PodStatusReport { Pod = key, Status = new PodStatus { Phase = "Running", Message = "from node-a" } } } },
                    caller).DefaultTimeout();
                return _api.Store.Get<Pod>(pod.Metadata.Namespace, pod.Metadata.Name)!.Status.Message == "from node-a";
            case "ReportPodTerminated":
                await _api.Store.MutateAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name, p =>
                {
                    p.Metadata.DeletionTimestamp = Timestamp.FromDateTimeOffset(Epoch);
                    return true;
                }, Token).DefaultTimeout();
                await _api.Service.ReportPodStatus(new ReportPodStatusRequest { Reports = { new PodStatusReport { Pod = key, Terminated = true } } }, caller).DefaultTimeout();
                return _api.Store.Get<Pod>(pod.Metadata.Namespace, pod.Metadata.Name) is null;
            case "ReportEvents":
                await _api.Service.ReportEvents(new ReportEventsRequest { Events = { new PodEvent { Pod = key, Type = "Normal", Reason = "FromNodeA", Message = "m", Count = 1 } } },
                    caller).DefaultTimeout();
                return _api.Store.List<Event>().Any(e => e.Reason == "FromNodeA");
            case "GetPullCredentials":
                try
                {
                    return (await _api.Service.GetPullCredentials(new GetPullCredentialsRequest { Pod = key }, caller).DefaultTimeout()).Credentials.Count > 0;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
                {
                    return false;
                }

            case "GetPodResources":
                var answer = Assert.Single((await _api.Service.GetPodResources(new GetPodResourcesRequest { Pods = { key } }, caller).DefaultTimeout()).Pods);
                return !answer.NotFound && answer.ConfigMaps.Count > 0;
            case "WatchPods":
                return (await SnapshotAsync(NodeA)).Pods.Any(p => p.Metadata.Uid == pod.Metadata.Uid);
            default:
                throw new ArgumentException($"no such RPC {rpc}", nameof(rpc));
        }
    }

    private async Task<PodSnapshot> SnapshotAsync(string node)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var stream = new CollectingStreamWriter<WatchPodsResponse>();
        var context = new TestServerCallContext(new Metadata { { ControlPlane.Api.HeaderNodeIdentity.HeaderName, node } }, cancel.Token);
        var watching = _api.Service.WatchPods(new WatchPodsRequest(), stream, context);
        var first = await stream.NextAsync();
        await cancel.CancelAsync();
        await watching.DefaultTimeout();
        Assert.Equal(WatchPodsResponse.EventOneofCase.Snapshot, first.EventCase);
        return first.Snapshot;
    }

    private static ListStreamReader<LogsUpload> Upload(string requestId, string text) => new(
        new LogsUpload { Header = new LogsUploadHeader { RequestId = requestId } },
        new LogsUpload { Data = ByteString.CopyFromUtf8(text) });
}
