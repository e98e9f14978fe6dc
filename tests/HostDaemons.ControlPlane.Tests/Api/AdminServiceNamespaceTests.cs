using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.AdminServiceHarness;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class AdminServiceNamespaceTests : IAsyncLifetime
{
    private readonly AdminServiceHarness _api = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TestServerCallContext Context => TestServerCallContext.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    /// <summary>A DaemonSet as hdctl sends it into <paramref name="ns"/>: no server fields.</summary>
    private static DaemonSet Manifest(string ns, string name = "agent")
    {
        var ds = DaemonSet(name, @namespace: ns);
        ds.Status = null;
        return ds;
    }

    private static Secret OpaqueSecret(string ns, string name = "tokens") =>
        new() { Metadata = new ObjectMeta { Name = name, Namespace = ns }, Data = { ["token"] = Google.Protobuf.ByteString.CopyFromUtf8("abc") } };

    private static Namespace NamespaceManifest(string name, params string[] labels)
    {
        var ns = new Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new ObjectMeta { Name = name } };
        ns.Metadata.Labels.Add(Labels(labels));
        return ns;
    }

    private Task<ApplyResponse> ApplyAsync(IKubeObject value, ApplyMode mode = ApplyMode.Apply, bool dryRun = false) =>
        _api.Service.Apply(new ApplyRequest { Object = value.Wrap(), Mode = mode, DryRun = dryRun }, Context).DefaultTimeout();

    private Task<DeleteResponse> DeleteNamespaceAsync(string name) =>
        _api.Service.Delete(new DeleteRequest { Ref = new ObjectReference { Kind = ResourceKind.Namespace, Name = name } }, Context).DefaultTimeout();

    private Namespace? StoredNamespace(string name) => _api.Store.Get<Namespace>("", name);

    private async Task TerminateAsync(string name)
    {
        await Namespaces.EnsureAsync(_api.Store, name, Token).DefaultTimeout();
        await DeleteNamespaceAsync(name);
    }

    [Fact]
    public async Task Apply_DaemonSetIntoMissingNamespace_CreatesTheNamespaceFirst()
    {
        var applied = await ApplyAsync(Manifest("infra"));

        var ns = StoredNamespace("infra");
        Assert.NotNull(ns);
        Assert.Equal(ApplyOutcome.Created, applied.Outcome);
        Assert.Equal("Active", ns.Status.Phase);
        Assert.Equal("infra", ns.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
        Assert.True(long.Parse(ns.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)
            < long.Parse(applied.Object.DaemonSet.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Apply_SecretWithoutNamespace_CreatesTheDefaultNamespace()
    {
        await ApplyAsync(OpaqueSecret(ns: ""));

        Assert.NotNull(StoredNamespace("default"));
        Assert.NotNull(_api.Store.Get<Secret>("default", "tokens"));
    }

    [Fact]
    public async Task Apply_IntoExistingNamespace_LeavesItAlone()
    {
        await ApplyAsync(NamespaceManifest("infra", "team=a"));
        var before = StoredNamespace("infra");

        await ApplyAsync(Manifest("infra"));

        Assert.Same(before, StoredNamespace("infra"));
    }

    [Fact]
    public async Task Apply_InvalidObjectIntoMissingNamespace_StoresNothing()
    {
        var manifest = Manifest("infra");
        manifest.Spec.Selector.MatchLabels.Clear();

        await FailsAsync(() => ApplyAsync(manifest), StatusCode.InvalidArgument);

        Assert.Null(StoredNamespace("infra"));
        Assert.Equal(0, _api.Store.Revision);
    }

    [Fact]
    public async Task Apply_DryRunIntoMissingNamespace_StoresNothing()
    {
        await ApplyAsync(Manifest("infra"), dryRun: true);

        Assert.Null(StoredNamespace("infra"));
        Assert.Equal(0, _api.Store.Revision);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Apply_NewDaemonSetIntoTerminatingNamespace_ForbiddenAsKubernetesSaysIt(bool dryRun)
    {
        await TerminateAsync("infra");
        var revision = _api.Store.Revision;

        var ex = await FailsAsync(() => ApplyAsync(Manifest("infra"), dryRun: dryRun), StatusCode.PermissionDenied);

        Assert.Equal("daemonsets.apps \"agent\" is forbidden: unable to create new content in namespace infra because it is being terminated", ex.Status.Detail);
        Assert.Equal(revision, _api.Store.Revision);
    }

    [Fact]
    public async Task Apply_NewSecretIntoTerminatingNamespace_Forbidden()
    {
        await TerminateAsync("infra");

        var ex = await FailsAsync(() => ApplyAsync(OpaqueSecret("infra")), StatusCode.PermissionDenied);

        Assert.Equal("secrets \"tokens\" is forbidden: unable to create new content in namespace infra because it is being terminated", ex.Status.Detail);
    }

    [Fact]
    public async Task Apply_ExistingSecretInTerminatingNamespace_IsNotRefused()
    {
        await ApplyAsync(OpaqueSecret("infra"));
        await DeleteNamespaceAsync("infra");

        var again = await ApplyAsync(OpaqueSecret("infra"));

        Assert.NotEqual(ApplyOutcome.Created, again.Outcome);
    }

    [Fact]
    public async Task Apply_Namespace_CreatedActiveThenUnchangedThenConfigured()
    {
        var created = await ApplyAsync(NamespaceManifest("team-a"));
        var unchanged = await ApplyAsync(NamespaceManifest("team-a"));
        var configured = await ApplyAsync(NamespaceManifest("team-a", "tier=gold"));

        Assert.Equal(ApplyOutcome.Created, created.Outcome);
        Assert.Equal(ApplyOutcome.Unchanged, unchanged.Outcome);
        Assert.Equal(ApplyOutcome.Configured, configured.Outcome);
        var stored = StoredNamespace("team-a")!;
        Assert.Equal("Active", stored.Status.Phase);
        Assert.Equal(Labels("kubernetes.io/metadata.name=team-a", "tier=gold"), stored.Metadata.Labels);
        Assert.Equal(created.Object.Namespace.Metadata.Uid, stored.Metadata.Uid);
    }

    [Fact]
    public async Task Apply_NamespaceAgain_KeepsLabelsAddedByOthersAndDropsRemovedOnes()
    {
        await ApplyAsync(NamespaceManifest("team-a", "tier=gold", "env=prod"));
        await _api.Store.MutateAsync<Namespace>("", "team-a", n => n.Metadata.Labels.TryAdd("owner", "ops"), Token).DefaultTimeout();

        var applied = await ApplyAsync(NamespaceManifest("team-a", "env=prod"));

        Assert.Equal(ApplyOutcome.Configured, applied.Outcome);
        Assert.Equal(Labels("kubernetes.io/metadata.name=team-a", "env=prod", "owner=ops"), StoredNamespace("team-a")!.Metadata.Labels);
    }

    [Fact]
    public async Task Apply_NamespaceStatusAndFinalizersInTheManifest_AreTheServers()
    {
        await ApplyAsync(NamespaceManifest("team-a"));
        var manifest = NamespaceManifest("team-a");
        manifest.Status = new NamespaceStatus { Phase = "Terminating" };

        var applied = await ApplyAsync(manifest);

        Assert.Equal(ApplyOutcome.Unchanged, applied.Outcome);
        Assert.Equal("Active", StoredNamespace("team-a")!.Status.Phase);
    }

    [Fact]
    public async Task Apply_CreateModeOnExistingNamespace_AlreadyExists()
    {
        await ApplyAsync(NamespaceManifest("team-a"), ApplyMode.Create);

        var ex = await FailsAsync(() => ApplyAsync(NamespaceManifest("team-a"), ApplyMode.Create), StatusCode.AlreadyExists);

        Assert.Equal("namespaces \"team-a\" already exists", ex.Status.Detail);
    }

    [Theory]
    [InlineData("Team_A")]
    [InlineData("a.b")]
    public async Task Apply_NamespaceNameNotADnsLabel_Invalid(string name)
    {
        var ex = await FailsAsync(() => ApplyAsync(NamespaceManifest(name)), StatusCode.InvalidArgument);

        Assert.StartsWith($"The Namespace \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _api.Store.Revision);
    }

    [Fact]
    public async Task Delete_Namespace_BecomesTerminatingAndStays()
    {
        await ApplyAsync(Manifest("infra"));

        await DeleteNamespaceAsync("infra");

        var ns = StoredNamespace("infra")!;
        Assert.True(ns.IsTerminating());
        Assert.Equal("Terminating", ns.Status.Phase);
        Assert.NotNull(_api.Store.Get<DaemonSet>("infra", "agent"));
    }

    [Fact]
    public async Task Delete_TerminatingNamespaceAgain_KeepsTheFirstDeletionTime()
    {
        await TerminateAsync("infra");
        var first = StoredNamespace("infra")!.Metadata.DeletionTimestamp;
        _api.Time.Advance(TimeSpan.FromMinutes(1));

        await DeleteNamespaceAsync("infra");

        Assert.Equal(first, StoredNamespace("infra")!.Metadata.DeletionTimestamp);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    public async Task Delete_ImmortalNamespace_Forbidden(string name)
    {
        await Namespaces.EnsureAsync(_api.Store, name, Token).DefaultTimeout();

        var ex = await FailsAsync(() => DeleteNamespaceAsync(name), StatusCode.PermissionDenied);

        Assert.Equal($"namespaces \"{name}\" is forbidden: this namespace may not be deleted", ex.Status.Detail);
        Assert.False(StoredNamespace(name)!.IsTerminating());
    }

    [Fact]
    public async Task Delete_MissingNamespace_NotFound()
    {
        var ex = await FailsAsync(() => DeleteNamespaceAsync("nope"), StatusCode.NotFound);

        Assert.Equal("namespaces \"nope\" not found", ex.Status.Detail);
    }

    [Fact]
    public async Task List_Namespaces_AreClusterScopedWhateverNamespaceIsAsked()
    {
        await ApplyAsync(Manifest("infra"));
        await ApplyAsync(Manifest("default"));

        var list = await _api.Service.List(new ListRequest { Kind = ResourceKind.Namespace, Namespace = "infra" }, Context).DefaultTimeout();

        Assert.Equal(["default", "infra"], list.Items.Select(i => i.Namespace.Metadata.Name));
    }

    [Fact]
    public async Task List_DaemonSetsOfMissingNamespace_Empty()
    {
        await ApplyAsync(Manifest("infra"));

        var list = await _api.Service.List(new ListRequest { Kind = ResourceKind.DaemonSet, Namespace = "nope" }, Context).DefaultTimeout();

        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task Label_Namespace_SetsTheLabel()
    {
        await ApplyAsync(NamespaceManifest("team-a"));

        var response = await _api.Service.Label(new LabelRequest
        {
            Ref = new ObjectReference { Kind = ResourceKind.Namespace, Name = "team-a" },
            Set = { ["tier"] = "gold" },
        }, Context).DefaultTimeout();

        Assert.True(response.Changed);
        Assert.Equal("gold", StoredNamespace("team-a")!.Metadata.Labels["tier"]);
    }
}
