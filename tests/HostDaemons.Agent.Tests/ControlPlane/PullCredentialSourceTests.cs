using Grpc.Core;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RegistryCredential = HostDaemons.Agent.Runtime.RegistryCredential;

namespace HostDaemons.Agent.Tests.ControlPlane;

public sealed class PullCredentialSourceTests
{
    private readonly FakeNodeClient _client = new();
    private readonly PullCredentialSource _source;

    public PullCredentialSourceTests()
    {
        _source = new PullCredentialSource(_client, null, new FakeTimeProvider(AgentHarness.Epoch), NullLogger.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Pod Pod(string uid = "uid-1", params string[] pullSecrets)
    {
        var pod = TestPods.Pod(uid: uid);
        pod.Spec.ImagePullSecrets.Add(pullSecrets.Select(s => new LocalObjectReference { Name = s }));
        return pod;
    }

    private static Api.V1.RegistryCredential Wire(string server, string username, string password, string secret = "regcred") =>
        new() { Server = server, Username = username, Password = password, SecretName = secret };

    [Fact]
    public async Task GetAsync_PodWithPullSecrets_AsksForThatPodAndMapsTheAnswer()
    {
        var pod = Pod("uid-1", "regcred");
        _client.PullCredentials = _ => new GetPullCredentialsResponse { Credentials = { Wire("r.io", "alice", "s3cret") } };

        var credentials = await _source.GetAsync(pod, Ct).DefaultTimeout();

        Assert.Equal([new RegistryCredential("r.io", "alice", "s3cret", "regcred")], credentials);
        var request = Assert.Single(_client.PullCredentialRequests);
        Assert.Equal(new PodKey { Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = "uid-1" }, request.Pod);
    }

    [Fact]
    public async Task GetAsync_PodWithoutPullSecrets_NoCall()
    {
        var credentials = await _source.GetAsync(Pod("uid-1"), Ct).DefaultTimeout();

        Assert.Empty(credentials);
        Assert.Empty(_client.PullCredentialRequests);
    }

    [Fact]
    public async Task GetAsync_ControlPlaneUnreachable_LastKnownOfThatPod()
    {
        var pod = Pod("uid-1", "regcred");
        _client.PullCredentials = _ => new GetPullCredentialsResponse { Credentials = { Wire("r.io", "alice", "s3cret") } };
        await _source.GetAsync(pod, Ct).DefaultTimeout();
        _client.PullCredentials = _ => throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "connection refused"));

        var credentials = await _source.GetAsync(pod, Ct).DefaultTimeout();

        Assert.Equal("alice", Assert.Single(credentials).Username);
    }

    [Fact]
    public async Task GetAsync_ControlPlaneUnreachableAndNothingKnown_Anonymous()
    {
        await _source.GetAsync(Pod("uid-1", "regcred"), Ct).DefaultTimeout();
        _client.PullCredentials = _ => throw new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, "timeout"));

        var credentials = await _source.GetAsync(Pod("uid-2", "regcred"), Ct).DefaultTimeout();

        Assert.Empty(credentials);
    }

    [Fact]
    public async Task GetAsync_SecretChanged_NewAnswerReplacesTheOld()
    {
        var pod = Pod("uid-1", "regcred");
        _client.PullCredentials = _ => new GetPullCredentialsResponse { Credentials = { Wire("r.io", "alice", "old") } };
        await _source.GetAsync(pod, Ct).DefaultTimeout();
        _client.PullCredentials = _ => new GetPullCredentialsResponse { Credentials = { Wire("r.io", "alice", "new") } };

        var credentials = await _source.GetAsync(pod, Ct).DefaultTimeout();

        Assert.Equal("new", Assert.Single(credentials).Password);
    }

    [Fact]
    public async Task GetAsync_PodNotFound_ForgetsItAndPullsAnonymously()
    {
        var pod = Pod("uid-1", "regcred");
        _client.PullCredentials = _ => new GetPullCredentialsResponse { Credentials = { Wire("r.io", "alice", "s3cret") } };
        await _source.GetAsync(pod, Ct).DefaultTimeout();
        _client.PullCredentials = _ => throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, "pods \"x\" not found"));

        var credentials = await _source.GetAsync(pod, Ct).DefaultTimeout();

        Assert.Empty(credentials);
        Assert.Equal(0, _source.Remembered);
    }

    [Fact]
    public async Task GetAsync_Cancelled_Throws()
    {
        _client.PullCredentials = _ => throw new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "cancelled"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<RpcException>(() => _source.GetAsync(Pod("uid-1", "regcred"), cancelled.Token));
    }
}
