using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Tests.ServiceAccounts;

public sealed class RequestPodTokenTests : IAsyncDisposable
{
    private readonly NodeServiceHarness _harness = new();

    [Fact]
    public async Task A_node_gets_a_token_bound_to_its_pod_and_itself()
    {
        await _harness.Store.CreateAsync(new ServiceAccount { Metadata = new ObjectMeta { Name = "agent", Namespace = "ns1" } }, StoreHarness.Token);
        var pod = await Pod("p1", "n1", mirror: false);

        var response = await _harness.Service.RequestPodToken(new RequestPodTokenRequest { Pod = Key(pod), ExpirationSeconds = 1200 }, NodeServiceHarness.As("n1"));

        var claims = _harness.Tokens.Verify(response.Token, out var problem);
        Assert.True(claims is not null, problem);
        Assert.Equal("system:serviceaccount:ns1:agent", claims.Subject);
        Assert.Equal(pod.Metadata.Uid, claims.Pod?.Uid);
        Assert.Equal(claims.Expires, response.ExpirationTimestamp.ToDateTimeOffset());
        Assert.Equal(TimeSpan.FromSeconds(1200), claims.Expires - claims.IssuedAt);
    }

    [Fact]
    public async Task Another_nodes_pod_or_a_mirror_pod_is_not_found()
    {
        await _harness.Store.CreateAsync(new ServiceAccount { Metadata = new ObjectMeta { Name = "agent", Namespace = "ns1" } }, StoreHarness.Token);
        var other = await Pod("p1", "n2", mirror: false);
        var mirror = await Pod("p2", "n1", mirror: true);

        var ofOther = await Assert.ThrowsAsync<RpcException>(() => _harness.Service.RequestPodToken(new RequestPodTokenRequest { Pod = Key(other) }, NodeServiceHarness.As("n1")));
        var ofMirror = await Assert.ThrowsAsync<RpcException>(() => _harness.Service.RequestPodToken(new RequestPodTokenRequest { Pod = Key(mirror) }, NodeServiceHarness.As("n1")));

        Assert.Equal((StatusCode.NotFound, StatusCode.NotFound), (ofOther.StatusCode, ofMirror.StatusCode));
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private static PodKey Key(Pod pod) => new() { Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid };

    private Task<Pod> Pod(string name, string node, bool mirror)
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "ns1" },
            Spec = new PodSpec { NodeName = node, ServiceAccountName = "agent" },
        };
        if (mirror)
        {
            pod.Metadata.Annotations[MirrorPodAnnotations.Mirror] = "hash";
        }

        return _harness.Store.CreateAsync(pod, StoreHarness.Token);
    }
}
