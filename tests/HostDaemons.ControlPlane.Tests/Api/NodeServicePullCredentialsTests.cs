using Google.Protobuf;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging;
using static HostDaemons.ControlPlane.Tests.TestServices.NodeServiceHarness;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class NodeServicePullCredentialsTests : IAsyncLifetime
{
    private readonly NodeServiceHarness _api = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private async Task<Pod> CreatePodAsync(string node, string @namespace = "default", params string[] pullSecrets)
    {
        var pod = Pod("web-abcde", node, @namespace);
        pod.Spec.ImagePullSecrets.Add(pullSecrets.Select(s => new LocalObjectReference { Name = s }));
        return await _api.Store.CreateAsync(pod, Token).DefaultTimeout();
    }

    private async Task CreateSecretAsync(string name, string server, string username, string password, string @namespace = "default",
        string type = SecretTypes.DockerConfigJson)
    {
        var secret = new Secret { Metadata = new ObjectMeta { Name = name, Namespace = @namespace }, Type = type };
        secret.Data[SecretTypes.DockerConfigJsonKey] = ByteString.CopyFrom(DockerConfigJson.Build(server, username, password, ""));
        await _api.Store.CreateAsync(secret, Token).DefaultTimeout();
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

        var response = await _api.Service.GetPullCredentials(Request(pod), As("worker-1")).DefaultTimeout();

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

        var response = await _api.Service.GetPullCredentials(Request(pod), As("worker-1")).DefaultTimeout();

        Assert.Equal("present", Assert.Single(response.Credentials).SecretName);
        var warning = Assert.Single(_api.Logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("\"missing\"", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPullCredentials_SecretInAnotherNamespace_IsNotUsed()
    {
        await CreateSecretAsync("regcred", "r1.io", "alice", "pw1", "other");
        var pod = await CreatePodAsync("worker-1", "default", "regcred");

        var response = await _api.Service.GetPullCredentials(Request(pod), As("worker-1")).DefaultTimeout();

        Assert.Empty(response.Credentials);
    }

    [Fact]
    public async Task GetPullCredentials_OpaqueSecret_AddsNothing()
    {
        await CreateSecretAsync("regcred", "r1.io", "alice", "pw1", type: SecretTypes.Opaque);
        var pod = await CreatePodAsync("worker-1", "default", "regcred");

        var response = await _api.Service.GetPullCredentials(Request(pod), As("worker-1")).DefaultTimeout();

        Assert.Empty(response.Credentials);
    }

    [Fact]
    public async Task GetPullCredentials_PodOfAnotherNode_IsNotFound()
    {
        await CreateSecretAsync("regcred", "r1.io", "alice", "pw1");
        var pod = await CreatePodAsync("worker-1", "default", "regcred");

        var ex = await Assert.ThrowsAsync<RpcException>(() => _api.Service.GetPullCredentials(Request(pod), As("worker-2")));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task GetPullCredentials_StaleUid_IsNotFound()
    {
        await CreateSecretAsync("regcred", "r1.io", "alice", "pw1");
        var pod = await CreatePodAsync("worker-1", "default", "regcred");
        var request = Request(pod);
        request.Pod.Uid = "an-earlier-pod";

        var ex = await Assert.ThrowsAsync<RpcException>(() => _api.Service.GetPullCredentials(request, As("worker-1")));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task GetPullCredentials_AnyOutcome_NeverLogsAPassword()
    {
        await CreateSecretAsync("regcred", "r1.io", "alice", "pw-never-logged");
        var broken = new Secret { Metadata = new ObjectMeta { Name = "broken", Namespace = "default" }, Type = SecretTypes.DockerConfigJson };
        broken.Data[SecretTypes.DockerConfigJsonKey] = ByteString.CopyFromUtf8("""{"auths":{"r.io":{"auth":"cHctbmV2ZXItbG9nZ2Vk"}}}""");
        await _api.Store.CreateAsync(broken, Token).DefaultTimeout();
        var pod = await CreatePodAsync("worker-1", "default", "regcred", "broken", "missing");

        await _api.Service.GetPullCredentials(Request(pod), As("worker-1")).DefaultTimeout();

        Assert.NotEmpty(_api.Logger.Collector.GetSnapshot());
        Assert.All(_api.Logger.Collector.GetSnapshot(), r =>
        {
            Assert.DoesNotContain("pw-never-logged", r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("cHctbmV2ZXItbG9nZ2Vk", r.Message, StringComparison.Ordinal);
        });
    }
}
