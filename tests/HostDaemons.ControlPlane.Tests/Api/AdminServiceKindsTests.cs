using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.AdminServiceHarness;

namespace HostDaemons.ControlPlane.Tests.Api;

/// <summary>Apply, delete and label of the kinds beyond DaemonSets and Secrets, through the one apply path.</summary>
public sealed class AdminServiceKindsTests : IAsyncLifetime
{
    private readonly AdminServiceHarness _api = new();

    private static TestServerCallContext Context => TestServerCallContext.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    /// <summary>The one object of <paramref name="yaml"/>, as hdctl sends it: as written.</summary>
    private static IKubeObject Read(string yaml)
    {
        var read = ManifestReader.Read(yaml, "test.yaml");
        Assert.True(read.Succeeded, string.Join("\n", read.Problems));
        return Assert.Single(read.Objects).AsWritten;
    }

    private Task<ApplyResponse> ApplyAsync(string yaml, ApplyMode mode = ApplyMode.Apply, bool dryRun = false) =>
        _api.Service.Apply(new ApplyRequest { Object = Read(yaml).Wrap(), Mode = mode, DryRun = dryRun }, Context).DefaultTimeout();

    private Task<DeleteResponse> DeleteAsync(ResourceKind kind, string name, string ns = "") =>
        _api.Service.Delete(new DeleteRequest { Ref = new ObjectReference { Kind = kind, Name = name, Namespace = ns } }, Context).DefaultTimeout();

    private const string WebService = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n";

    [Fact]
    public async Task Apply_ServiceNotHeadless_StoredWithTheWarningThatNoVirtualIPIsProgrammed()
    {
        var created = await ApplyAsync(WebService);

        Assert.Equal(ApplyOutcome.Created, created.Outcome);
        Assert.Equal(ServiceWarnings.For("web", "ClusterIP"), Assert.Single(created.Warnings));
        Assert.Contains("HostDaemons programs no virtual IPs or load balancers", created.Warnings[0], StringComparison.Ordinal);
        var stored = _api.Store.Get<Service>("default", "web")!;
        Assert.Equal(("ClusterIP", "None", 80), (stored.Spec.Type, stored.Spec.SessionAffinity, stored.Spec.Ports[0].TargetPort.IntValue));
    }

    [Fact]
    public async Task Apply_HeadlessService_NoWarning()
    {
        var created = await ApplyAsync(WebService.Replace("spec:\n", "spec:\n  clusterIP: None\n", StringComparison.Ordinal));

        Assert.Empty(created.Warnings);
    }

    [Fact]
    public async Task Apply_ServicePortRemovedFromManifest_RemovedByTheThreeWayMerge()
    {
        var twoPorts = WebService.Replace("  - port: 80\n", "  - {name: http, port: 80}\n  - {name: metrics, port: 9090}\n", StringComparison.Ordinal);
        await ApplyAsync(twoPorts);

        var configured = await ApplyAsync(twoPorts.Replace("  - {name: metrics, port: 9090}\n", "", StringComparison.Ordinal));

        Assert.Equal(ApplyOutcome.Configured, configured.Outcome);
        Assert.Equal(["http"], _api.Store.Get<Service>("default", "web")!.Spec.Ports.Select(p => p.Name));
    }

    [Fact]
    public async Task Apply_EndpointSlice_RefusedAsTheControlPlanesOwn()
    {
        var ex = await FailsAsync(() => ApplyAsync("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s\naddressType: IPv4\n"), StatusCode.InvalidArgument);

        Assert.StartsWith("endpointslices.discovery.k8s.io cannot be applied", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ImmutableConfigMapChanged_Invalid()
    {
        const string frozen = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\nimmutable: true\ndata:\n  a: \"1\"\n";
        await ApplyAsync(frozen);

        var ex = await FailsAsync(() => ApplyAsync(frozen.Replace("\"1\"", "\"2\"", StringComparison.Ordinal)), StatusCode.InvalidArgument);

        Assert.Equal("The ConfigMap \"cfg\" is invalid: data: Forbidden: field is immutable when `immutable` is set", ex.Status.Detail);
    }

    [Fact]
    public async Task Apply_BindingToAnotherRole_CannotChangeRoleRef()
    {
        const string binding = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  kind: ClusterRole\n  name: view\n"
            + "subjects:\n- {kind: ServiceAccount, name: fluentd, namespace: kube-system}\n";
        await ApplyAsync(binding);

        var ex = await FailsAsync(() => ApplyAsync(binding.Replace("view", "edit", StringComparison.Ordinal)), StatusCode.InvalidArgument);

        Assert.EndsWith("roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("view", _api.Store.Get<ClusterRoleBinding>("", "b")!.RoleRef.Name);
    }

    [Fact]
    public async Task Apply_SecondGlobalDefaultClass_Forbidden()
    {
        await ApplyAsync("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: first\nvalue: 1\nglobalDefault: true\n");

        var ex = await FailsAsync(() => ApplyAsync("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: second\nvalue: 2\nglobalDefault: true\n"),
            StatusCode.PermissionDenied);

        Assert.Equal("priorityclasses.scheduling.k8s.io \"second\" is forbidden: PriorityClass first is already marked as default. Only one default can exist", ex.Status.Detail);
    }

    [Fact]
    public async Task DeleteAndApply_SystemPriorityClass_ForbiddenAndUnchanged()
    {
        await new SystemPriorityClassBootstrap(_api.Store, Microsoft.Extensions.Logging.Abstractions.NullLogger<SystemPriorityClassBootstrap>.Instance)
            .StartAsync(TestContext.Current.CancellationToken).DefaultTimeout();

        var deleted = await FailsAsync(() => DeleteAsync(ResourceKind.PriorityClass, "system-node-critical"), StatusCode.PermissionDenied);
        var changed = await FailsAsync(() => ApplyAsync(
            "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: system-node-critical\nvalue: 2000001000\ndescription: mine\n"), StatusCode.PermissionDenied);

        Assert.Equal("priorityclasses.scheduling.k8s.io \"system-node-critical\" is forbidden: this is a system priority class and cannot be deleted", deleted.Status.Detail);
        Assert.EndsWith("this is a system priority class and cannot be changed", changed.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["system-cluster-critical", "system-node-critical"], _api.Store.List<PriorityClass>().Select(c => c.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2_000_001_000, _api.Store.Get<PriorityClass>("", "system-node-critical")!.Value);
    }

    [Theory]
    [InlineData(ResourceKind.ConfigMap, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: default\n")]
    [InlineData(ResourceKind.ServiceAccount, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  namespace: default\n")]
    [InlineData(ResourceKind.Role, "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: x\n  namespace: default\n")]
    [InlineData(ResourceKind.ClusterRole, "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: x\n")]
    [InlineData(ResourceKind.PriorityClass, "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: x\nvalue: 3\n")]
    public async Task LabelThenDelete_AnyKind_LabelledThenGone(ResourceKind kind, string yaml)
    {
        await ApplyAsync(yaml);
        var ns = ResourceKinds.Get(kind).Namespaced ? "default" : "";
        var reference = new ObjectReference { Kind = kind, Name = "x", Namespace = ns };

        var labelled = await _api.Service.Label(new LabelRequest { Ref = reference, Set = { ["tier"] = "a" } }, Context).DefaultTimeout();
        var listed = await _api.Service.List(new ListRequest { Kind = kind, LabelSelector = "tier=a" }, Context).DefaultTimeout();
        await DeleteAsync(kind, "x", ns);

        Assert.True(labelled.Changed);
        Assert.Single(listed.Items);
        Assert.Null(_api.Store.Get(new HostDaemons.ControlPlane.Storage.ObjectKey(kind, ns, "x")));
    }

    [Fact]
    public async Task Apply_ServiceIntoNewNamespace_NamespaceCreatedFirst()
    {
        await ApplyAsync(WebService.Replace("  name: web\n", "  name: web\n  namespace: monitoring\n", StringComparison.Ordinal));

        Assert.NotNull(_api.Store.Get<Namespace>("", "monitoring"));
        Assert.NotNull(_api.Store.Get<Service>("monitoring", "web"));
    }
}
