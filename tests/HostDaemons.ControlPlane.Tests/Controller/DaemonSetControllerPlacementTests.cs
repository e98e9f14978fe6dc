using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.Controller.PlacementTests;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

/// <summary>The controller's placement, driven by store events and timers: taints, tolerationSeconds, pod affinity.</summary>
public sealed class DaemonSetControllerPlacementTests : IAsyncLifetime
{
    private readonly DaemonSetControllerHarness _harness = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private async Task<DaemonSet> CreateAsync(DaemonSet ds)
    {
        ds.Metadata.Uid = "";
        return await _harness.Store.CreateAsync(ds, Token).DefaultTimeout();
    }

    private Task<Node> NodeAsync(string name, params string[] labels) =>
        _harness.Store.CreateAsync(Node(name, Labels([$"kubernetes.io/hostname={name}", .. labels])), Token).DefaultTimeout();

    private Task TaintAsync(string node, Taint taint) =>
        _harness.Store.MutateAsync<Node>("", node, n =>
        {
            n.Spec.Taints.Add(taint);
            return true;
        }, Token).DefaultTimeout();

    private IReadOnlyList<Pod> LivePods(DaemonSet ds) => [.. _harness.Store.PodsControlledBy(ds.Metadata.Uid).Where(p => !p.IsTerminating())];

    private string NodesOf(DaemonSet ds) => string.Join(",", LivePods(ds).Select(p => p.Spec.NodeName).Order(StringComparer.Ordinal));

    [Fact]
    public async Task Run_NoScheduleTaintAddedLater_KeepsThePodAndCountsItMisscheduled()
    {
        await _harness.StartAsync();
        await NodeAsync("n1");
        var ds = await CreateAsync(DaemonSet());
        await AsyncTestHelpers.WaitUntilAsync(() => LivePods(ds).Count == 1, "the pod on n1");

        await TaintAsync("n1", Taint("dedicated", "NoSchedule", "infra"));

        await AsyncTestHelpers.WaitUntilAsync(() => _harness.Store.Get<DaemonSet>("default", "agent")!.Status?.NumberMisscheduled == 1, "the pod counted misscheduled");
        Assert.Single(LivePods(ds));
        Assert.Equal(0, _harness.Store.Get<DaemonSet>("default", "agent")!.Status.DesiredNumberScheduled);
    }

    [Fact]
    public async Task Run_NoExecuteTaintAdded_EvictsWithAnEvent()
    {
        await _harness.StartAsync();
        await NodeAsync("n1");
        var ds = await CreateAsync(DaemonSet());
        await AsyncTestHelpers.WaitUntilAsync(() => LivePods(ds).Count == 1, "the pod on n1");
        var pod = LivePods(ds)[0];

        await TaintAsync("n1", Taint("dedicated", "NoExecute", "infra"));

        await AsyncTestHelpers.WaitUntilAsync(() => LivePods(ds).Count == 0, "the pod evicted");
        Assert.Contains(_harness.Store.List<Event>("default"), e => e.Reason == "TaintManagerEviction" && e.InvolvedObject.Name == pod.Metadata.Name
            && e.Message == $"Marking for deletion Pod default/{pod.Metadata.Name}");
    }

    [Fact]
    public async Task Run_NoExecuteToleratedForSeconds_EvictedByTimerWhenTheyPass()
    {
        await _harness.StartAsync();
        await NodeAsync("n1");
        var ds = await CreateAsync(DaemonSet().WithTolerations(WithSeconds(Toleration("dedicated", "Exists", "", "NoExecute"), 30)));
        await AsyncTestHelpers.WaitUntilAsync(() => LivePods(ds).Count == 1, "the pod on n1");

        await TaintAsync("n1", Added(Taint("dedicated", "NoExecute"), _harness.Time.GetUtcNow()));
        _harness.Time.Advance(TimeSpan.FromSeconds(29));
        await AsyncTestHelpers.WaitUntilAsync(() => _harness.Store.Get<DaemonSet>("default", "agent")!.Status?.NumberAvailable == 0, "a sync after the taint");
        Assert.Single(LivePods(ds));

        _harness.Time.Advance(TimeSpan.FromSeconds(1));

        await AsyncTestHelpers.WaitUntilAsync(() => LivePods(ds).Count == 0, "the pod evicted when its toleration ends");
        await AsyncTestHelpers.WaitUntilAsync(() => _harness.Store.Get<DaemonSet>("default", "agent")!.Status.DesiredNumberScheduled == 0,
            "the node no longer counted once the toleration ended");
    }

    [Fact]
    public async Task Run_PodAffinity_FollowsTheLabelledPodFromNodeToNode()
    {
        await _harness.StartAsync();
        await NodeAsync("n1", "web=yes");
        await NodeAsync("n2");
        await NodeAsync("n3");
        var web = await CreateAsync(DaemonSet("web", nodeSelector: Labels("web=yes")));
        var follower = await CreateAsync(DaemonSet("follower").WithPodAffinity(PodTerm("app=web", "kubernetes.io/hostname")));

        await AsyncTestHelpers.WaitUntilAsync(() => NodesOf(web) == "n1" && NodesOf(follower) == "n1", "the follower next to web on n1");

        await _harness.Store.MutateAsync<Node>("", "n1", n => n.Metadata.Labels.Remove("web"), Token).DefaultTimeout();
        await _harness.Store.MutateAsync<Node>("", "n3", n =>
        {
            n.Metadata.Labels["web"] = "yes";
            return true;
        }, Token).DefaultTimeout();

        // The web pod on n1 terminates (still counted until gone); once its agent removes it the follower leaves too.
        await AsyncTestHelpers.WaitUntilAsync(() => NodesOf(web) == "n3", "web moved to n3");
        foreach (var old in _harness.Store.PodsControlledBy(web.Metadata.Uid).Where(p => p.IsTerminating()))
        {
            await _harness.Store.DeleteAsync<Pod>(old.Metadata.Namespace, old.Metadata.Name, old.Metadata.Uid, Token).DefaultTimeout();
        }

        await AsyncTestHelpers.WaitUntilAsync(() => NodesOf(follower) == "n3", "the follower moved to n3");
    }

    [Fact]
    public async Task Run_PodAntiAffinity_LeavesWhenTheAvoidedPodArrives()
    {
        await _harness.StartAsync();
        await NodeAsync("n1");
        await NodeAsync("n2");
        var avoider = await CreateAsync(DaemonSet("avoider").WithPodAntiAffinity(PodTerm("app=noisy", "kubernetes.io/hostname")));
        await AsyncTestHelpers.WaitUntilAsync(() => NodesOf(avoider) == "n1,n2", "the avoider everywhere");

        await CreateAsync(DaemonSet("noisy", nodeSelector: Labels("kubernetes.io/hostname=n2")));

        await AsyncTestHelpers.WaitUntilAsync(() => NodesOf(avoider) == "n1", "the avoider gone from n2");
    }
}
