using Grpc.Core;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.ServiceAccounts;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Agent.Volumes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.ServiceAccounts;

/// <summary>The kubelet's token manager: kept until 80% of the lifetime, asked again then, kept on failure until it expires, forgotten with the pod.</summary>
public sealed class PodTokensTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(AgentHarness.Epoch);
    private readonly FakeNodeClient _client = new();
    private readonly ReconcileSignal _reconcile;
    private readonly TestHostApplicationLifetime _lifetime = new();
    private readonly PodTokens _tokens;

    public PodTokensTests()
    {
        _reconcile = new ReconcileSignal(_time);
        _tokens = new PodTokens(_client, _reconcile, _time, () => TimeSpan.Zero, _lifetime, NullLogger.Instance);
        _client.IssueTokens(_time);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _tokens.Dispose();
        _lifetime.Dispose();
    }

    [Fact]
    public async Task GetAsync_KeptUntil80PercentOfItsLifetime_ThenAskedAgainAndTheReconcilerWakes()
    {
        var pod = TestPods.Pod(uid: "uid-1");

        Assert.Equal("token-1", await _tokens.GetAsync(pod, ServiceAccountMount.TokenKey, Ct));
        _time.Advance(TimeSpan.FromSeconds(2885));
        Assert.Equal("token-1", await _tokens.GetAsync(pod, ServiceAccountMount.TokenKey, Ct));
        await _tokens.RefreshDueAsync(Ct);
        Assert.Equal(AgentHarness.Epoch.AddTicks(2885_6000000), _tokens.NextDue());
        Assert.Single(_client.TokenRequests);
        var version = _tokens.Version("uid-1");

        _time.Advance(TimeSpan.FromSeconds(1));
        await _tokens.RefreshDueAsync(Ct);

        Assert.Equal("token-2", _tokens.Current(pod, ServiceAccountMount.TokenKey));
        Assert.True(_tokens.Version("uid-1") > version);
        Assert.Equal(2, _client.TokenRequests.Count);
        var request = _client.TokenRequests[1];
        Assert.Equal((TestPods.Namespace, pod.Metadata.Name, "uid-1", 3607L), (request.Pod.Namespace, request.Pod.Name, request.Pod.Uid, request.ExpirationSeconds));
        Assert.Empty(request.Audiences);
        await _reconcile.WaitAsync(Timeout.InfiniteTimeSpan, Ct).DefaultTimeout();
    }

    [Fact]
    public async Task GetAsync_NoTokenAndTheControlPlaneRefuses_TheKubeletsFailedMountReason()
    {
        _client.PodToken = _ => throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, "serviceaccounts \"probe\" not found"));

        var failed = await Assert.ThrowsAsync<VolumeSetUpException>(() => _tokens.GetAsync(TestPods.Pod(), new PodTokenKey("vault", 600), Ct));

        Assert.Equal("failed to fetch token: serviceaccounts \"probe\" not found", failed.Message);
        Assert.Equal(["vault"], _client.TokenRequests.Single().Audiences);
    }

    [Fact]
    public async Task RefreshDueAsync_Refused_KeepsTheOldTokenUntilItExpiresAndTriesAgainAMinuteLater()
    {
        var pod = TestPods.Pod(uid: "uid-1");
        await _tokens.GetAsync(pod, ServiceAccountMount.TokenKey, Ct);
        _client.PodToken = _ => throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, "pods \"x\" not found"));
        _time.Advance(TimeSpan.FromSeconds(3000));

        await _tokens.RefreshDueAsync(Ct);
        await _tokens.RefreshDueAsync(Ct);

        Assert.Equal(2, _client.TokenRequests.Count);
        Assert.Equal("token-1", _tokens.Current(pod, ServiceAccountMount.TokenKey));
        Assert.Equal(_time.GetUtcNow().AddMinutes(1), _tokens.NextDue());
        _time.Advance(TimeSpan.FromSeconds(700));
        Assert.Throws<VolumeSetUpException>(() => _tokens.Current(pod, ServiceAccountMount.TokenKey));
    }

    [Fact]
    public async Task Retain_PodGone_ItsTokensAreForgottenAndNeverAskedAgain()
    {
        await _tokens.GetAsync(TestPods.Pod(uid: "uid-1"), ServiceAccountMount.TokenKey, Ct);
        await _tokens.GetAsync(TestPods.Pod(uid: "uid-2"), ServiceAccountMount.TokenKey, Ct);

        _tokens.Retain(new HashSet<string>(["uid-2"], StringComparer.Ordinal));
        _time.Advance(TimeSpan.FromHours(2));
        await _tokens.RefreshDueAsync(Ct);

        Assert.Equal(1, _tokens.Count);
        Assert.Equal(["uid-1", "uid-2", "uid-2"], _client.TokenRequests.Select(r => r.Pod.Uid));
    }
}
