using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

/// <summary>The admin API's node verbs (taint, cordon) and the placement preview.</summary>
public sealed class AdminServicePlacementTests : IAsyncLifetime
{
    private readonly AdminServiceHarness _api = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TestServerCallContext Context => TestServerCallContext.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private Task<Node> NodeAsync(string name, IDictionary<string, string>? labels = null, params Taint[] taints) =>
        _api.Store.CreateAsync(Node(name, labels, taints), Token).DefaultTimeout();

    [Fact]
    public async Task Taint_AddsAndStores_ThenRemoves()
    {
        await NodeAsync("n1");

        var added = await _api.Service.Taint(new TaintRequest { Node = "n1", Add = { Taint("dedicated", "NoSchedule", "infra") } }, Context).DefaultTimeout();
        var removed = await _api.Service.Taint(new TaintRequest { Node = "n1", Remove = { Taint("dedicated", "") } }, Context).DefaultTimeout();

        Assert.Equal("tainted", added.Operation);
        Assert.Equal("dedicated", Assert.Single(added.Node.Spec.Taints).Key);
        Assert.Equal("untainted", removed.Operation);
        Assert.Empty(_api.Store.Get<Node>("", "n1")!.Spec.Taints);
    }

    [Fact]
    public async Task Taint_DryRun_StoresNothing()
    {
        await NodeAsync("n1");

        var response = await _api.Service.Taint(new TaintRequest { Node = "n1", Add = { Taint("a", "NoExecute") }, DryRun = true }, Context).DefaultTimeout();

        Assert.Equal("tainted", response.Operation);
        Assert.Empty(_api.Store.Get<Node>("", "n1")!.Spec.Taints);
    }

    [Fact]
    public async Task Taint_UnknownNode_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _api.Service.Taint(new TaintRequest { Node = "n9", Add = { Taint("a", "NoSchedule") } }, Context));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("nodes \"n9\" not found", ex.Status.Detail);
    }

    [Fact]
    public async Task Cordon_ThenAgain_ReportsAlready()
    {
        await NodeAsync("n1");

        var first = await _api.Service.Cordon(new CordonRequest { Node = "n1", Unschedulable = true }, Context).DefaultTimeout();
        var second = await _api.Service.Cordon(new CordonRequest { Node = "n1", Unschedulable = true }, Context).DefaultTimeout();
        var uncordoned = await _api.Service.Cordon(new CordonRequest { Node = "n1", Unschedulable = false }, Context).DefaultTimeout();

        Assert.True(first.Changed);
        Assert.True(first.Node.Spec.Unschedulable);
        Assert.False(second.Changed);
        Assert.True(uncordoned.Changed);
        Assert.Empty(_api.Store.Get<Node>("", "n1")!.Spec.Taints);
    }

    [Fact]
    public async Task ExplainPlacement_StoredDaemonSet_EveryNodeWithTheDecidingRuleAndItsPods()
    {
        await NodeAsync("n1", Labels("disk=ssd"));
        await NodeAsync("n2", Labels("disk=hdd"));
        await NodeAsync("n3", Labels("disk=ssd"), Taint("dedicated", "NoSchedule", "infra"));
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd"));
        ds.Metadata.Uid = "";
        ds = await _api.Store.CreateAsync(ds, Token).DefaultTimeout();
        await _api.Store.CreateAsync(DaemonPod(ds, "n3", "h", "agent-kept"), Token).DefaultTimeout();

        var response = await _api.Service.ExplainPlacement(new ExplainPlacementRequest { Ref = new ObjectReference { Kind = ResourceKind.DaemonSet, Name = "agent" } }, Context).DefaultTimeout();

        Assert.Equal(["n1", "n2", "n3"], response.Nodes.Select(n => n.Node));
        Assert.Equal((true, "", ""), (response.Nodes[0].ShouldRun, response.Nodes[0].Rule, response.Nodes[0].Reason));
        Assert.Equal((false, false, "nodeSelector", "nodeSelector disk=ssd not matched"), (response.Nodes[1].ShouldRun, response.Nodes[1].ShouldContinueRunning, response.Nodes[1].Rule, response.Nodes[1].Reason));
        Assert.Equal((false, true, "taint dedicated=infra:NoSchedule not tolerated"), (response.Nodes[2].ShouldRun, response.Nodes[2].ShouldContinueRunning, response.Nodes[2].Reason));
        Assert.Equal(["agent-kept"], response.Nodes[2].Pods);
    }

    [Fact]
    public async Task ExplainPlacement_UnsavedObject_DefaultedAndValidated()
    {
        await NodeAsync("n1", Labels("zone=a"));
        await NodeAsync("n2", Labels("zone=b"));
        var ds = DaemonSet().WithNodeAffinity(Term(Expression("zone", "In", "b")));

        var response = await _api.Service.ExplainPlacement(new ExplainPlacementRequest { Object = ds.Wrap() }, Context).DefaultTimeout();

        Assert.Equal([false, true], response.Nodes.Select(n => n.ShouldRun));
        Assert.Equal("nodeAffinity zone in [b] not matched", response.Nodes[0].Reason);

        ds.Spec.Template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0].Operator = "Gt";
        var ex = await Assert.ThrowsAsync<RpcException>(() => _api.Service.ExplainPlacement(new ExplainPlacementRequest { Object = ds.Wrap() }, Context));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }

    [Fact]
    public async Task ExplainPlacement_UnknownDaemonSet_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _api.Service.ExplainPlacement(new ExplainPlacementRequest { Ref = new ObjectReference { Kind = ResourceKind.DaemonSet, Name = "x" } }, Context));

        Assert.Equal("daemonsets.apps \"x\" not found", ex.Status.Detail);
    }
}
