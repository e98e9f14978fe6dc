using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.AdminServiceHarness;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class AdminServiceTests : IAsyncLifetime
{
    private readonly AdminServiceHarness _api = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TestServerCallContext Context => TestServerCallContext.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    /// <summary>A DaemonSet as hdctl sends it: no defaults, no server fields.</summary>
    private static DaemonSet Manifest(string image = "busybox:1.36", string app = "agent")
    {
        var ds = new DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = new ObjectMeta { Name = "agent" },
            Spec = new DaemonSetSpec
            {
                Selector = new LabelSelector { MatchLabels = { ["app"] = app } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = { ["app"] = app } },
                    Spec = new PodSpec { Containers = { new Container { Name = "main", Image = image } } },
                },
            },
        };
        return ds;
    }

    private Task<ApplyResponse> ApplyAsync(DaemonSet ds, ApplyMode mode = ApplyMode.Apply) =>
        _api.Service.Apply(new ApplyRequest { Object = ds.Wrap(), Mode = mode }, Context).DefaultTimeout();

    private static ObjectReference Ref(ResourceKind kind, string name, string ns = "") => new() { Kind = kind, Name = name, Namespace = ns };

    private async Task<Pod> CreateOwnedPodAsync(string name, string node, DaemonSet owner) =>
        await _api.Store.CreateAsync(DaemonPod(owner, node, "hash", name), Token).DefaultTimeout();

    [Fact]
    public async Task Apply_NewThenSameThenChanged_CreatedUnchangedConfigured()
    {
        var created = await ApplyAsync(Manifest());
        var revision = _api.Store.Revision;
        var unchanged = await ApplyAsync(Manifest());
        var configured = await ApplyAsync(Manifest("busybox:1.37"));

        Assert.Equal(ApplyOutcome.Created, created.Outcome);
        Assert.Equal(ApplyOutcome.Unchanged, unchanged.Outcome);
        Assert.Equal(ApplyOutcome.Configured, configured.Outcome);
        Assert.Equal(revision + 1, _api.Store.Revision);
        Assert.Equal(created.Object.DaemonSet.Metadata.Uid, configured.Object.DaemonSet.Metadata.Uid);
        Assert.Equal(1, created.Object.DaemonSet.Metadata.Generation);
        Assert.Equal(2, configured.Object.DaemonSet.Metadata.Generation);
        Assert.Equal("busybox:1.37", _api.Store.Get<DaemonSet>("default", "agent")!.Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task Apply_New_StoresTheDefaults()
    {
        var created = (await ApplyAsync(Manifest())).Object.DaemonSet;

        Assert.Equal("default", created.Metadata.Namespace);
        Assert.Equal("RollingUpdate", created.Spec.UpdateStrategy.Type);
        Assert.Equal(1, created.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.IntValue);
        Assert.Equal(10, created.Spec.RevisionHistoryLimit);
        Assert.Equal(30, created.Spec.Template.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("Always", created.Spec.Template.Spec.RestartPolicy);
    }

    [Fact]
    public async Task Apply_ServerManagedFieldsInTheManifest_AreIgnored()
    {
        var first = (await ApplyAsync(Manifest())).Object.DaemonSet;
        await _api.Store.MutateAsync<DaemonSet>("default", "agent", d =>
        {
            d.Status = new DaemonSetStatus { DesiredNumberScheduled = 2 };
            return true;
        }, Token).DefaultTimeout();

        var manifest = Manifest();
        manifest.Metadata.Uid = "forged";
        manifest.Metadata.ResourceVersion = "1";
        manifest.Metadata.Generation = 99;
        manifest.Status = new DaemonSetStatus { DesiredNumberScheduled = 7 };
        var result = await ApplyAsync(manifest);

        Assert.Equal(ApplyOutcome.Unchanged, result.Outcome);
        var stored = _api.Store.Get<DaemonSet>("default", "agent")!;
        Assert.Equal(first.Metadata.Uid, stored.Metadata.Uid);
        Assert.Equal(2, stored.Status.DesiredNumberScheduled);
    }

    [Fact]
    public async Task Apply_LabelsOnly_ConfiguredWithoutNewGeneration()
    {
        await ApplyAsync(Manifest());
        var relabelled = Manifest();
        relabelled.Metadata.Labels["team"] = "infra";

        var result = await ApplyAsync(relabelled);

        Assert.Equal(ApplyOutcome.Configured, result.Outcome);
        Assert.Equal(1, result.Object.DaemonSet.Metadata.Generation);
        Assert.Equal("infra", result.Object.DaemonSet.Metadata.Labels["team"]);
    }

    [Fact]
    public async Task Apply_ChangedSelector_IsRejectedAsImmutable()
    {
        await ApplyAsync(Manifest());

        var ex = await FailsAsync(() => ApplyAsync(Manifest(app: "other")), StatusCode.InvalidArgument);

        Assert.Equal("The DaemonSet \"agent\" is invalid: spec.selector: Invalid value: \"app=other\": field is immutable", ex.Status.Detail);
        Assert.Equal("agent", _api.Store.Get<DaemonSet>("default", "agent")!.Spec.Selector.MatchLabels["app"]);
    }

    [Fact]
    public async Task Apply_CreateModeOnExisting_AlreadyExists()
    {
        await ApplyAsync(Manifest(), ApplyMode.Create);

        var ex = await FailsAsync(() => ApplyAsync(Manifest(), ApplyMode.Create), StatusCode.AlreadyExists);

        Assert.Equal("daemonsets.apps \"agent\" already exists", ex.Status.Detail);
    }

    [Fact]
    public async Task Apply_Invalid_ReportsTheFieldErrors()
    {
        var manifest = Manifest();
        manifest.Spec.Selector.MatchLabels.Clear();

        var ex = await FailsAsync(() => ApplyAsync(manifest), StatusCode.InvalidArgument);

        Assert.StartsWith("The DaemonSet \"agent\" is invalid: ", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("empty selector is invalid for daemonset", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _api.Store.Revision);
    }

    [Fact]
    public async Task Apply_Pod_IsRefused()
    {
        var ex = await FailsAsync(() => _api.Service.Apply(new ApplyRequest { Object = Pod("p", "n1").Wrap() }, Context), StatusCode.InvalidArgument);

        Assert.StartsWith("pods cannot be applied", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_Empty_IsRefused()
    {
        await FailsAsync(() => _api.Service.Apply(new ApplyRequest(), Context), StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task Apply_BeingDeleted_FailedPrecondition()
    {
        await ApplyAsync(Manifest());
        await _api.Service.Delete(new DeleteRequest { Ref = Ref(ResourceKind.DaemonSet, "agent"), PropagationPolicy = "Foreground" }, Context).DefaultTimeout();

        var ex = await FailsAsync(() => ApplyAsync(Manifest("busybox:1.37")), StatusCode.FailedPrecondition);

        Assert.Equal("daemonsets.apps \"agent\" is being deleted", ex.Status.Detail);
    }

    [Fact]
    public async Task Get_Missing_NotFoundInKubernetesWording()
    {
        var ex = await FailsAsync(() => _api.Service.Get(new GetRequest { Ref = Ref(ResourceKind.DaemonSet, "x") }, Context), StatusCode.NotFound);

        Assert.Equal("daemonsets.apps \"x\" not found", ex.Status.Detail);
    }

    [Fact]
    public async Task Get_Existing_DefaultsNamespaceAndIgnoresItForNodes()
    {
        await ApplyAsync(Manifest());
        await _api.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();

        var ds = await _api.Service.Get(new GetRequest { Ref = Ref(ResourceKind.DaemonSet, "agent") }, Context).DefaultTimeout();
        var node = await _api.Service.Get(new GetRequest { Ref = Ref(ResourceKind.Node, "n1", "ignored") }, Context).DefaultTimeout();

        Assert.Equal("agent", ds.DaemonSet.Metadata.Name);
        Assert.Equal("n1", node.Node.Metadata.Name);
        await FailsAsync(() => _api.Service.Get(new GetRequest { Ref = Ref(ResourceKind.DaemonSet, "agent", "other") }, Context), StatusCode.NotFound);
    }

    [Fact]
    public async Task Get_NoKindOrName_InvalidArgument()
    {
        await FailsAsync(() => _api.Service.Get(new GetRequest(), Context), StatusCode.InvalidArgument);
        await FailsAsync(() => _api.Service.Get(new GetRequest { Ref = Ref(ResourceKind.Pod, "") }, Context), StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task List_FiltersByNamespaceAndSelectorAndSortsByName()
    {
        await _api.Store.CreateAsync(Pod("b", "n1"), Token).DefaultTimeout();
        var a = Pod("a", "n1");
        a.Metadata.Labels["tier"] = "web";
        await _api.Store.CreateAsync(a, Token).DefaultTimeout();
        await _api.Store.CreateAsync(Pod("c", "n1", "kube-system"), Token).DefaultTimeout();

        var inDefault = await _api.Service.List(new ListRequest { Kind = ResourceKind.Pod }, Context).DefaultTimeout();
        var all = await _api.Service.List(new ListRequest { Kind = ResourceKind.Pod, AllNamespaces = true }, Context).DefaultTimeout();
        var web = await _api.Service.List(new ListRequest { Kind = ResourceKind.Pod, LabelSelector = "tier=web" }, Context).DefaultTimeout();

        Assert.Equal(["a", "b"], inDefault.Items.Select(i => i.Pod.Metadata.Name));
        Assert.Equal(["a", "b", "c"], all.Items.Select(i => i.Pod.Metadata.Name));
        Assert.Equal(["a"], web.Items.Select(i => i.Pod.Metadata.Name));
        Assert.Equal(3, all.ResourceVersion);
        await FailsAsync(() => _api.Service.List(new ListRequest { Kind = ResourceKind.Pod, LabelSelector = "tier in (" }, Context), StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task Label_ExistingDifferentValueWithoutOverwrite_FailedPreconditionLikeKubectl()
    {
        var node = Node("n1", Labels("disk=ssd"));
        await _api.Store.CreateAsync(node, Token).DefaultTimeout();
        var revision = _api.Store.Revision;

        var ex = await FailsAsync(() => _api.Service.Label(new LabelRequest { Ref = Ref(ResourceKind.Node, "n1"), Set = { ["disk"] = "hdd" } }, Context),
            StatusCode.FailedPrecondition);

        Assert.Equal("'disk' already has a value (ssd), and --overwrite is false", ex.Status.Detail);
        Assert.Equal(revision, _api.Store.Revision);
    }

    [Fact]
    public async Task Label_OverwriteAndRemove_Changes()
    {
        await _api.Store.CreateAsync(Node("n1", Labels("disk=ssd", "old=x")), Token).DefaultTimeout();

        var response = await _api.Service.Label(new LabelRequest
        {
            Ref = Ref(ResourceKind.Node, "n1"),
            Set = { ["disk"] = "hdd", ["zone"] = "a" },
            Remove = { "old" },
            Overwrite = true,
        }, Context).DefaultTimeout();

        Assert.True(response.Changed);
        Assert.Equal(Labels("disk=hdd", "zone=a"), response.Object.Node.Metadata.Labels);
        Assert.Equal(Labels("disk=hdd", "zone=a"), _api.Store.Get<Node>("", "n1")!.Metadata.Labels);
    }

    [Fact]
    public async Task Label_SameValueWithoutOverwrite_UnchangedAndNotWritten()
    {
        await _api.Store.CreateAsync(Node("n1", Labels("disk=ssd")), Token).DefaultTimeout();
        var revision = _api.Store.Revision;

        var response = await _api.Service.Label(new LabelRequest { Ref = Ref(ResourceKind.Node, "n1"), Set = { ["disk"] = "ssd" } }, Context).DefaultTimeout();

        Assert.False(response.Changed);
        Assert.Equal(revision, _api.Store.Revision);
    }

    [Fact]
    public async Task Label_MissingObject_NotFound()
    {
        var ex = await FailsAsync(() => _api.Service.Label(new LabelRequest { Ref = Ref(ResourceKind.Node, "n9"), Set = { ["a"] = "b" } }, Context),
            StatusCode.NotFound);

        Assert.Equal("nodes \"n9\" not found", ex.Status.Detail);
    }

    [Fact]
    public async Task Label_InvalidValue_InvalidArgument()
    {
        await _api.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();

        await FailsAsync(() => _api.Service.Label(new LabelRequest { Ref = Ref(ResourceKind.Node, "n1"), Set = { ["disk"] = "not valid!" } }, Context),
            StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task Delete_DaemonSetBackground_RemovesItAndLeavesPodsToTheController()
    {
        var ds = (await ApplyAsync(Manifest())).Object.DaemonSet;
        await _api.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();
        await CreateOwnedPodAsync("agent-a", "n1", ds);

        var response = await _api.Service.Delete(new DeleteRequest { Ref = Ref(ResourceKind.DaemonSet, "agent") }, Context).DefaultTimeout();

        Assert.Equal("agent", response.Object.DaemonSet.Metadata.Name);
        Assert.Null(_api.Store.Get<DaemonSet>("default", "agent"));
        Assert.Single(_api.Store.PodsControlledBy(ds.Metadata.Uid));
    }

    [Fact]
    public async Task Delete_DaemonSetOrphan_PodsLoseTheirOwner()
    {
        var ds = (await ApplyAsync(Manifest())).Object.DaemonSet;
        await _api.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();
        await CreateOwnedPodAsync("agent-a", "n1", ds);

        await _api.Service.Delete(new DeleteRequest { Ref = Ref(ResourceKind.DaemonSet, "agent"), PropagationPolicy = "Orphan" }, Context).DefaultTimeout();

        Assert.Null(_api.Store.Get<DaemonSet>("default", "agent"));
        Assert.Empty(_api.Store.PodsControlledBy(ds.Metadata.Uid));
        var pod = _api.Store.Get<Pod>("default", "agent-a")!;
        Assert.Empty(pod.Metadata.OwnerReferences);
        Assert.False(pod.IsTerminating());
    }

    [Fact]
    public async Task Delete_DaemonSetForeground_MarksItAndKeepsIt()
    {
        await ApplyAsync(Manifest());
        _api.Time.Advance(TimeSpan.FromSeconds(3));

        await _api.Service.Delete(new DeleteRequest { Ref = Ref(ResourceKind.DaemonSet, "agent"), PropagationPolicy = "Foreground" }, Context).DefaultTimeout();
        var revision = _api.Store.Revision;
        await _api.Service.Delete(new DeleteRequest { Ref = Ref(ResourceKind.DaemonSet, "agent"), PropagationPolicy = "Foreground" }, Context).DefaultTimeout();

        var ds = _api.Store.Get<DaemonSet>("default", "agent")!;
        Assert.Equal(Timestamp.FromDateTimeOffset(Epoch.AddSeconds(3)), ds.Metadata.DeletionTimestamp);
        Assert.Equal(revision, _api.Store.Revision);
    }

    [Fact]
    public async Task Delete_UnknownPolicy_InvalidArgument()
    {
        await ApplyAsync(Manifest());

        var ex = await FailsAsync(() => _api.Service.Delete(new DeleteRequest { Ref = Ref(ResourceKind.DaemonSet, "agent"), PropagationPolicy = "Later" }, Context),
            StatusCode.InvalidArgument);

        Assert.Contains("unsupported propagation policy \"Later\"", ex.Status.Detail, StringComparison.Ordinal);
        Assert.NotNull(_api.Store.Get<DaemonSet>("default", "agent"));
    }

    [Fact]
    public async Task Delete_Pod_MarksItTerminating()
    {
        await _api.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();
        await _api.Store.CreateAsync(Pod("p", "n1"), Token).DefaultTimeout();

        await _api.Service.Delete(new DeleteRequest { Ref = Ref(ResourceKind.Pod, "p") }, Context).DefaultTimeout();

        Assert.True(_api.Store.Get<Pod>("default", "p")!.IsTerminating());
    }

    [Fact]
    public async Task Delete_Node_RemovesItAndItsPods()
    {
        await _api.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();
        await _api.Store.CreateAsync(Pod("p", "n1"), Token).DefaultTimeout();
        await _api.Store.CreateAsync(Pod("q", "n2"), Token).DefaultTimeout();

        await _api.Service.Delete(new DeleteRequest { Ref = Ref(ResourceKind.Node, "n1") }, Context).DefaultTimeout();

        Assert.Null(_api.Store.Get<Node>("", "n1"));
        Assert.Null(_api.Store.Get<Pod>("default", "p"));
        Assert.NotNull(_api.Store.Get<Pod>("default", "q"));
    }

    [Fact]
    public async Task Delete_Missing_NotFound()
    {
        var ex = await FailsAsync(() => _api.Service.Delete(new DeleteRequest { Ref = Ref(ResourceKind.Pod, "nope") }, Context), StatusCode.NotFound);

        Assert.Equal("pods \"nope\" not found", ex.Status.Detail);
    }
}
