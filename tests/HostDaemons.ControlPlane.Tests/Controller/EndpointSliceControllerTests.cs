using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static HostDaemons.ControlPlane.Tests.Controller.EndpointSlicePlannerTests;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class EndpointSliceControllerTests : IAsyncLifetime
{
    private readonly StoreHarness _store = new();
    private readonly HostedServiceHarness<EndpointSliceController> _harness;

    public EndpointSliceControllerTests()
    {
        _harness = new(_store, lifetime => new EndpointSliceController(_store.Store, _store.Time, Options.Create(new ControlPlaneOptions()), lifetime,
            NullLogger<EndpointSliceController>.Instance));
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private IReadOnlyList<EndpointSlice> Slices(string ns = "default") => _store.Store.List<EndpointSlice>(ns);

    private Task WaitForAsync(Func<IReadOnlyList<EndpointSlice>, bool> condition, string because) =>
        AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(condition(Slices())), because,
            describe: () => Task.FromResult(string.Join("\n", Slices().Select(s => s.ToString()))));

    private Task SetReadyAsync(string pod, bool ready) =>
        _store.Store.MutateAsync<Pod>("default", pod, p =>
        {
            p.Status.Conditions[0].Status = ready ? "True" : "False";
            return true;
        }, Token).DefaultTimeout();

    [Fact]
    public async Task Loop_ServiceAndPods_SliceFollowsReadinessAndGoesWithTheService()
    {
        await _store.Store.CreateAsync(WebPod("web-a", "10.0.0.1"), Token).DefaultTimeout();
        await _store.Store.CreateAsync(WebPod("web-b", "10.0.0.2", ready: false), Token).DefaultTimeout();
        await _harness.StartAsync();

        var service = await _store.Store.CreateAsync(WebService(headless: true), Token).DefaultTimeout();
        await WaitForAsync(s => s.Count == 1 && s[0].Endpoints.Count(e => e.Conditions.Ready) == 1, "one ready endpoint of two");
        var name = Slices()[0].Metadata.Name;
        Assert.StartsWith("web-", name, StringComparison.Ordinal);
        Assert.Equal(service.Metadata.Uid, Slices()[0].Metadata.OwnerReferences[0].Uid);

        await SetReadyAsync("web-b", ready: true);
        await WaitForAsync(s => s.Count == 1 && s[0].Endpoints.All(e => e.Conditions.Ready), "both endpoints ready");
        Assert.Equal(name, Slices()[0].Metadata.Name);

        await SetReadyAsync("web-a", ready: false);
        await WaitForAsync(s => s[0].Endpoints.Count(e => e.Conditions.Ready) == 1, "web-a dropped from the ready endpoints");

        await _store.Store.DeleteAsync<Pod>("default", "web-b", null, Token).DefaultTimeout();
        await WaitForAsync(s => s[0].Endpoints.Count == 1, "the deleted pod's endpoint gone");

        await _store.Store.DeleteAsync<Service>("default", "web", null, Token).DefaultTimeout();
        await WaitForAsync(s => s.Count == 0, "the slices gone with their Service");
    }

    [Fact]
    public async Task SyncAsync_NothingChanged_SliceNotWrittenAgain()
    {
        await _store.Store.CreateAsync(WebPod("web-a", "10.0.0.1"), Token).DefaultTimeout();
        await _store.Store.CreateAsync(WebService(), Token).DefaultTimeout();
        await _harness.Service.SyncAsync("default/web", Token).DefaultTimeout();
        var first = Assert.Single(Slices());

        await _harness.Service.SyncAsync("default/web", Token).DefaultTimeout();

        Assert.Equal(first.Metadata.ResourceVersion, Assert.Single(Slices()).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task SyncAsync_TerminatingNamespace_SlicesDeletedNoneMade()
    {
        await _store.Store.CreateAsync(WebPod("web-a", "10.0.0.1"), Token).DefaultTimeout();
        await _store.Store.CreateAsync(WebService(), Token).DefaultTimeout();
        await _harness.Service.SyncAsync("default/web", Token).DefaultTimeout();
        Assert.Single(Slices());
        await HostDaemons.ControlPlane.Api.Namespaces.EnsureAsync(_store.Store, "default", Token).DefaultTimeout();
        await _store.Store.MutateAsync<Namespace>("", "default", n =>
        {
            n.Metadata.DeletionTimestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(_store.Time.GetUtcNow());
            return true;
        }, Token).DefaultTimeout();

        await _harness.Service.SyncAsync("default/web", Token).DefaultTimeout();

        Assert.Empty(Slices());
    }

    [Fact]
    public async Task Loop_SliceDeletedByHand_MadeAgain()
    {
        await _store.Store.CreateAsync(WebPod("web-a", "10.0.0.1"), Token).DefaultTimeout();
        await _harness.StartAsync();
        await _store.Store.CreateAsync(WebService(), Token).DefaultTimeout();
        await WaitForAsync(s => s.Count == 1, "the Service's slice");
        var first = Slices()[0];

        await _store.Store.DeleteAsync<EndpointSlice>("default", first.Metadata.Name, null, Token).DefaultTimeout();

        await WaitForAsync(s => s.Count == 1 && s[0].Metadata.Uid != first.Metadata.Uid, "a new slice for the Service");
    }

    [Fact]
    public async Task Loop_PodLabelledIntoTheSelector_Added()
    {
        var pod = WebPod("web-a", "10.0.0.1");
        pod.Metadata.Labels["app"] = "other";
        await _store.Store.CreateAsync(pod, Token).DefaultTimeout();
        await _harness.StartAsync();
        await _store.Store.CreateAsync(WebService(), Token).DefaultTimeout();
        await WaitForAsync(s => s.Count == 1 && s[0].Endpoints.Count == 0, "an empty slice");

        await _store.Store.MutateAsync<Pod>("default", "web-a", p =>
        {
            p.Metadata.Labels["app"] = "web";
            return true;
        }, Token).DefaultTimeout();

        await WaitForAsync(s => s.Count == 1 && s[0].Endpoints.Count == 1, "the relabelled pod listed");
    }
}
