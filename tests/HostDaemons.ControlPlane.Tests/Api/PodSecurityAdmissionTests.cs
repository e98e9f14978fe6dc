using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Security;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;
using AdminServiceImpl = HostDaemons.ControlPlane.Api.AdminService;
using static HostDaemons.ControlPlane.Tests.TestServices.AdminServiceHarness;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

/// <summary>Pod Security admission through the admin API: templates refused, warned about and audited; namespace labels checked and guarded.</summary>
public sealed class PodSecurityAdmissionTests : IAsyncDisposable
{
    private const string Refusal = "daemonsets.apps \"fluentd\" is forbidden: violates PodSecurity \"baseline:latest\": hostPath volumes (volumes \"varlog\", \"containers\")";

    private readonly StoreHarness _store = new();
    private readonly FakeHostApplicationLifetime _lifetime = new();
    private readonly FakeAuthorizer _authorizer = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _lifetime.Dispose();
    }

    private AdminServiceImpl Api(string defaultLevel = "privileged", bool withAuthorizer = false) =>
        Create(_store, _lifetime, podSecurity: PodSecurity(_store.Store, defaultLevel, withAuthorizer ? _authorizer : null));

    /// <summary>A call by <paramref name="user"/>, with its audit record attached as the auditing interceptor attaches it.</summary>
    private static (TestServerCallContext Context, CallAudit Audit) Call(string user = "eve")
    {
        var context = TestServerCallContext.Create();
        new CallerIdentity(user, ["system:authenticated"], AuthenticationMethod.ClientCertificate).AttachTo(context);
        var audit = new CallAudit();
        audit.AttachTo(context);
        return (context, audit);
    }

    private static DaemonSet Fluentd(string ns)
    {
        var ds = DaemonSet("fluentd", @namespace: ns);
        ds.Status = null;
        ds.Spec.Template.Spec.Volumes.Add(new Volume { Name = "varlog", HostPath = new HostPathVolumeSource { Path = "/var/log" } });
        ds.Spec.Template.Spec.Volumes.Add(new Volume { Name = "containers", HostPath = new HostPathVolumeSource { Path = "/var/lib/docker/containers" } });
        return ds;
    }

    private static Namespace NamespaceManifest(string name, params string[] labels)
    {
        var ns = new Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new ObjectMeta { Name = name } };
        ns.Metadata.Labels.Add(Labels(labels));
        return ns;
    }

    private async Task LabelledAsync(string name, params string[] labels) =>
        await Api().Apply(new ApplyRequest { Object = NamespaceManifest(name, labels).Wrap() }, Call().Context).DefaultTimeout();

    private static Task<ApplyResponse> ApplyAsync(AdminServiceImpl api, IKubeObject value, ServerCallContext context, bool dryRun = false) =>
        api.Apply(new ApplyRequest { Object = value.Wrap(), DryRun = dryRun }, context).DefaultTimeout();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Apply_EnforceBaseline_HostPathTemplateRefusedWithKubernetesMessageAndFieldPaths(bool dryRun)
    {
        await LabelledAsync("logging", "pod-security.kubernetes.io/enforce=baseline");
        var (context, audit) = Call();

        var refused = await FailsAsync(() => ApplyAsync(Api(), Fluentd("logging"), context, dryRun), StatusCode.PermissionDenied);

        Assert.Equal(Refusal, refused.Status.Detail);
        Assert.Equal(["spec.template.spec.volumes[0].hostPath", "spec.template.spec.volumes[1].hostPath"],
            refused.Trailers.Where(t => t.Key == ErrorFieldPaths.TrailerKey).Select(t => t.Value));
        Assert.Null(_store.Store.Get<DaemonSet>("logging", "fluentd"));
        // The audit mode's level is its own: privileged here, so nothing to annotate.
        Assert.Empty(audit.Annotations);
    }

    [Fact]
    public async Task Apply_WarnBaseline_StoredWithKubernetesWarning()
    {
        await LabelledAsync("logging", "pod-security.kubernetes.io/warn=baseline");

        var response = await ApplyAsync(Api(), Fluentd("logging"), Call().Context);

        Assert.Equal(ApplyOutcome.Created, response.Outcome);
        Assert.Equal(["would violate PodSecurity \"baseline:latest\": hostPath volumes (volumes \"varlog\", \"containers\")"], response.Warnings);
        Assert.NotNull(_store.Store.Get<DaemonSet>("logging", "fluentd"));
    }

    [Fact]
    public async Task Apply_AuditRestrictedOnly_StoredWithoutWarningAndAnnotated()
    {
        await LabelledAsync("logging", "pod-security.kubernetes.io/audit=restricted");
        var (context, audit) = Call();

        var response = await ApplyAsync(Api(), Fluentd("logging"), context);

        Assert.Empty(response.Warnings);
        Assert.StartsWith("would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"main\" must set",
            audit.Annotations["pod-security.kubernetes.io/audit-violations"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_DefaultBaseline_UnlabelledNamespaceRefused_PrivilegedLabelAdmits()
    {
        var api = Api("baseline");
        var refused = await FailsAsync(() => ApplyAsync(api, Fluentd("logging"), Call().Context), StatusCode.PermissionDenied);
        Assert.Equal(Refusal, refused.Status.Detail);

        await ApplyAsync(api, NamespaceManifest("agents", "pod-security.kubernetes.io/enforce=privileged", "pod-security.kubernetes.io/warn=privileged"), Call().Context);
        var applied = await ApplyAsync(api, Fluentd("agents"), Call().Context);
        Assert.Equal((ApplyOutcome.Created, 0), (applied.Outcome, applied.Warnings.Count));
    }

    [Fact]
    public async Task Apply_EnforceRestricted_DefaultBusyboxRefusedWithRestrictedMessages()
    {
        await LabelledAsync("strict", "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/enforce-version=v1.30");
        var ds = DaemonSet("busybox", @namespace: "strict");
        ds.Status = null;

        var refused = await FailsAsync(() => ApplyAsync(Api(), ds, Call().Context), StatusCode.PermissionDenied);

        Assert.Equal(
            "daemonsets.apps \"busybox\" is forbidden: violates PodSecurity \"restricted:v1.30\": "
            + "allowPrivilegeEscalation != false (container \"main\" must set securityContext.allowPrivilegeEscalation=false), "
            + "unrestricted capabilities (container \"main\" must set securityContext.capabilities.drop=[\"ALL\"]), "
            + "runAsNonRoot != true (pod or container \"main\" must set securityContext.runAsNonRoot=true), "
            + "seccompProfile (pod or container \"main\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            refused.Status.Detail);
    }

    [Fact]
    public async Task Apply_InvalidTemplateInEnforcedNamespace_ReportsTheValidationErrorFirst()
    {
        await LabelledAsync("logging", "pod-security.kubernetes.io/enforce=baseline");
        var ds = Fluentd("logging");
        ds.Spec.Template.Spec.Containers[0].Image = "";

        var invalid = await FailsAsync(() => ApplyAsync(Api(), ds, Call().Context), StatusCode.InvalidArgument);

        Assert.Contains("spec.template.spec.containers[0].image: Required value", invalid.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAndLabel_BogusLevel_InvalidNamingTheLabel()
    {
        var invalid = await FailsAsync(() => ApplyAsync(Api(), NamespaceManifest("team", "pod-security.kubernetes.io/enforce=bogus"), Call().Context), StatusCode.InvalidArgument);
        Assert.Equal(
            "The Namespace \"team\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"bogus\": must be one of privileged, baseline, restricted",
            invalid.Status.Detail);

        await LabelledAsync("team");
        var label = new LabelRequest { Ref = new ObjectReference { Kind = ResourceKind.Namespace, Name = "team" }, Set = { ["pod-security.kubernetes.io/warn-version"] = "v2" } };
        var relabel = await FailsAsync(() => Api().Label(label, Call().Context).DefaultTimeout(), StatusCode.InvalidArgument);
        Assert.Contains("metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: \"v2\": must be \"latest\" or \"v1.x\"", relabel.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelPrivileged_AuthorizerDenies_ForbiddenAndUnchanged()
    {
        await LabelledAsync("team", "pod-security.kubernetes.io/enforce=baseline");
        _authorizer.Allow = false;
        var api = Api(withAuthorizer: true);
        var (context, audit) = Call("eve");
        var label = new LabelRequest
        {
            Ref = new ObjectReference { Kind = ResourceKind.Namespace, Name = "team" },
            Set = { ["pod-security.kubernetes.io/enforce"] = "privileged" },
            Overwrite = true,
        };

        var refused = await FailsAsync(() => api.Label(label, context).DefaultTimeout(), StatusCode.PermissionDenied);

        Assert.Equal("namespaces \"team\" is forbidden: User \"eve\" cannot update resource \"namespaces/podsecurity\" in API group \"\" in the namespace \"team\"", refused.Status.Detail);
        var asked = Assert.Single(_authorizer.Requests);
        Assert.Equal(("eve", "update", "", "namespaces", "podsecurity", "team", "team"),
            (asked.Caller.User, asked.Verb, asked.ApiGroup, asked.Resource, asked.Subresource, asked.Namespace, asked.Name));
        Assert.Equal(false, audit.Decision?.Allowed);
        Assert.Equal("baseline", _store.Store.Get<Namespace>("", "team")!.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
    }

    [Fact]
    public async Task ApplyNamespace_LoweringOrRemovingEnforce_NeedsThePermission_RaisingDoesNot()
    {
        await LabelledAsync("team", "pod-security.kubernetes.io/enforce=restricted");
        _authorizer.Allow = false;
        var api = Api("baseline", withAuthorizer: true);

        await FailsAsync(() => ApplyAsync(api, NamespaceManifest("team", "pod-security.kubernetes.io/enforce=baseline"), Call().Context), StatusCode.PermissionDenied);
        var remove = new LabelRequest { Ref = new ObjectReference { Kind = ResourceKind.Namespace, Name = "team" }, Remove = { "pod-security.kubernetes.io/enforce" } };
        await FailsAsync(() => api.Label(remove, Call().Context).DefaultTimeout(), StatusCode.PermissionDenied);
        await FailsAsync(() => ApplyAsync(api, NamespaceManifest("fresh", "pod-security.kubernetes.io/enforce=privileged"), Call().Context, dryRun: true),
            StatusCode.PermissionDenied);
        Assert.Equal(3, _authorizer.Requests.Count);

        // Stricter, or warn and audit only: nothing to authorize.
        await ApplyAsync(api, NamespaceManifest("other", "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/warn=privileged"), Call().Context);
        Assert.Equal(3, _authorizer.Requests.Count);

        _authorizer.Allow = true;
        await api.Label(remove, Call().Context).DefaultTimeout();
        Assert.False(_store.Store.Get<Namespace>("", "team")!.Metadata.Labels.ContainsKey("pod-security.kubernetes.io/enforce"));
    }

    [Fact]
    public async Task LabelStricter_ExistingViolatingDaemonSets_ListedAsWarnings_NothingStopped()
    {
        await LabelledAsync("logging");
        await ApplyAsync(Api(), Fluentd("logging"), Call().Context);
        var second = Fluentd("logging");
        second.Metadata.Name = "another";
        await ApplyAsync(Api(), second, Call().Context);
        var label = new LabelRequest { Ref = new ObjectReference { Kind = ResourceKind.Namespace, Name = "logging" }, Set = { ["pod-security.kubernetes.io/enforce"] = "baseline" } };

        var response = await Api().Label(label, Call().Context).DefaultTimeout();

        Assert.Equal(
            [
                "existing daemonsets in namespace \"logging\" violate the new PodSecurity enforce level \"baseline:latest\"",
                "another (and 1 other daemonset): hostPath volumes",
            ],
            response.Warnings);
        Assert.NotNull(_store.Store.Get<DaemonSet>("logging", "fluentd"));
    }

    [Fact]
    public async Task SetImage_TemplateViolatesTheNewerEnforceLevel_Refused()
    {
        await LabelledAsync("logging");
        await ApplyAsync(Api(), Fluentd("logging"), Call().Context);
        await LabelledAsync("logging", "pod-security.kubernetes.io/enforce=baseline");
        var setImage = new SetImageRequest { Namespace = "logging", Name = "fluentd", Images = { ["main"] = "busybox:1.37" } };

        var refused = await FailsAsync(() => Api().SetImage(setImage, Call().Context).DefaultTimeout(), StatusCode.PermissionDenied);

        Assert.Equal(Refusal, refused.Status.Detail);
        Assert.Equal("busybox:1.36", _store.Store.Get<DaemonSet>("logging", "fluentd")!.Spec.Template.Spec.Containers[0].Image);
    }

    /// <summary>Answers every request the same way and remembers them.</summary>
    private sealed class FakeAuthorizer : IAccessAuthorizer
    {
        public bool Allow { get; set; } = true;

        public List<AccessRequest> Requests { get; } = [];

        public AccessDecision Authorize(in AccessRequest request)
        {
            Requests.Add(request);
            return Allow ? AccessDecision.Allow("test") : AccessDecision.Deny("test");
        }
    }
}
