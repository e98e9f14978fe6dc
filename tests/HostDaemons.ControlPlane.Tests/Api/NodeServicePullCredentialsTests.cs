using Google.Protobuf;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;
using NodeServiceImpl = HostDaemons.ControlPlane.Api.NodeService;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class NodeServicePullCredentialsTests : IAsyncLifetime
{
    private readonly StoreHarness _store = new();
    private readonly FakeHostApplicationLifetime _lifetime = new();
    private readonly FakeLogger<NodeServiceImpl> _logger = new();
    private readonly NodeLeases _leases;
    private readonly NodeAssignmentHub _hub;
    private readonly NodeServiceImpl _service;

    public NodeServicePullCredentialsTests()
    {
        var options = Options.Create(new ControlPlaneOptions());
        _leases = new NodeLeases(_store.Store, _store.Time, options, _lifetime, NullLogger<NodeLeases>.Instance);
        _hub = new NodeAssignmentHub(_store.Store, _lifetime, NullLogger<NodeAssignmentHub>.Instance);
        _service = new NodeServiceImpl(_store.Store, new HeaderNodeIdentity(), _leases, _hub, new AgentTunnels(), new EventRecorder(_store.Store, _store.Time),
            new StreamingCalls(_lifetime), _store.Time, options, _logger);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TestServerCallContext As(string node) => TestServerCallContext.Create((HeaderNodeIdentity.HeaderName, node));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _leases.Dispose();
        _hub.Dispose();
        await _store.DisposeAsync();
        _lifetime.Dispose();
    }

    private async Task<Pod> CreatePodAsync(string node, string @namespace = "default", params string[] pullSecrets)
    {
        var pod = Pod("web-abcde", node, @namespace);
        pod.Spec.ImagePullSecrets.Add(pullSecrets.Select(s => new LocalObjectReference { Name = s }));
        return await _store.Store.CreateAsync(pod, Token).DefaultTimeout();
    }

    private async Task CreateSecretAsync(string name, string server, string username, string password, string @namespace = "default",
        string type = SecretTypes.DockerConfigJson)
    {
        var secret = new Secret { Metadata = new ObjectMeta { Name = name, Namespace = @namespace }, Type = type };
        secret.Data[SecretTypes.DockerConfigJsonKey] = ByteString.CopyFrom(DockerConfigJson.Build(server, username, password, ""));
        await _store.Store.CreateAsync(secret, Token).DefaultTimeout();
    }

    private static GetPullCredentialsRequest Request(Pod pod) => new()
    {
        Pod = new PodKey { Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
    };

    [Fact]
    public async Task GetPullCredentials_OwnPodWithSecrets_ReturnsTheirEntriesInOrder()
    {
        await CreateSecretAsync("first", "r1.io", "alice", "pw1");
        await CreateSecretAsync("second", "r2.io:5000", "bob", "pw2");
        var pod = await CreatePodAsync("worker-1", "default", "first", "second");

        var response = await _service.GetPullCredentials(Request(pod), As("worker-1")).DefaultTimeout();

        Assert.Equal(
            [("r1.io", "alice", "pw1", "first"), ("r2.io:5000", "bob", "pw2", "second")],
            response.Credentials.Select(c => (c.Server, c.Username, c.Password, c.SecretName)));
        Assert.Equal(DockerConfigJson.EncodeAuth("alice", "pw1"), response.Credentials[0].Auth);
    }

    [Fact]
    public async Task GetPullCredentials_MissingSecret_IsSkippedWithAWarningNamingIt()
    {
        await CreateSecretAsync("present", "r1.io", "alice", "pw1");
        var pod = await CreatePodAsync("worker-1", "default", "missing", "present");

        var response = await _service.GetPullCredentials(Request(pod), As("worker-1")).DefaultTimeout();

        Assert.Equal("present", Assert.Single(response.Credentials).SecretName);
        var warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("\"missing\"", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPullCredentials_SecretInAnotherNamespace_IsNotUsed()
    {
        await CreateSecretAsync("regcred", "r1.io", "alice", "pw1", "other");
        var pod = await CreatePodAsync("worker-1", "default", "regcred");

        var response = await _service.GetPullCredentials(Request(pod), As("worker-1")).DefaultTimeout();

        Assert.Empty(response.Credentials);
    }

    [Fact]
    public async Task GetPullCredentials_OpaqueSecret_AddsNothing()
    {
        await CreateSecretAsync("regcred", "r1.io", "alice", "pw1", type: SecretTypes.Opaque);
        var pod = await CreatePodAsync("worker-1", "default", "regcred");

        var response = await _service.GetPullCredentials(Request(pod), As("worker-1")).DefaultTimeout();

        Assert.Empty(response.Credentials);
    }

    [Fact]
    public async Task GetPullCredentials_PodOfAnotherNode_IsNotFound()
    {
        await CreateSecretAsync("regcred", "r1.io", "alice", "pw1");
        var pod = await CreatePodAsync("worker-1", "default", "regcred");

        var ex = await Assert.ThrowsAsync<RpcException>(() => _service.GetPullCredentials(Request(pod), As("worker-2")));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task GetPullCredentials_StaleUid_IsNotFound()
    {
        await CreateSecretAsync("regcred", "r1.io", "alice", "pw1");
        var pod = await CreatePodAsync("worker-1", "default", "regcred");
        var request = Request(pod);
        request.Pod.Uid = "an-earlier-pod";

        var ex = await Assert.ThrowsAsync<RpcException>(() => _service.GetPullCredentials(request, As("worker-1")));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task GetPullCredentials_AnyOutcome_NeverLogsAPassword()
    {
        await CreateSecretAsync("regcred", "r1.io", "alice", "pw-never-logged");
        var broken = new Secret { Metadata = new ObjectMeta { Name = "broken", Namespace = "default" }, Type = SecretTypes.DockerConfigJson };
        broken.Data[SecretTypes.DockerConfigJsonKey] = ByteString.CopyFromUtf8("""{"auths":{"r.io":{"auth":"cHctbmV2ZXItbG9nZ2Vk"}}}""");
        await _store.Store.CreateAsync(broken, Token).DefaultTimeout();
        var pod = await CreatePodAsync("worker-1", "default", "regcred", "broken", "missing");

        await _service.GetPullCredentials(Request(pod), As("worker-1")).DefaultTimeout();

        Assert.NotEmpty(_logger.Collector.GetSnapshot());
        Assert.All(_logger.Collector.GetSnapshot(), r =>
        {
            Assert.DoesNotContain("pw-never-logged", r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("cHctbmV2ZXItbG9nZ2Vk", r.Message, StringComparison.Ordinal);
        });
    }
}
