using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using static HostDaemons.ControlPlane.Tests.TestServices.NodeServiceHarness;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Nodes;

/// <summary>SyncStaticPods through the node API: mirror pods created, updated, replaced and removed, and what is refused.</summary>
public sealed class MirrorPodsTests : IAsyncLifetime
{
    private readonly NodeServiceHarness _api = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _api.Service.Register(new RegisterRequest(), As("n1")).DefaultTimeout();
        await _api.Service.Register(new RegisterRequest(), As("n2")).DefaultTimeout();
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    /// <summary>A static pod as the agent sends it: named for its node, bound to it, its uid the config hash.</summary>
    internal static Pod StaticPod(string name, string node, string hash = "hash-1", string ns = "default")
    {
        var pod = Pod($"{name}-{node}", node, ns);
        pod.Metadata.Uid = hash;
        pod.Metadata.Annotations[MirrorPodAnnotations.Hash] = hash;
        pod.Metadata.Annotations["kubernetes.io/config.source"] = "file";
        pod.Metadata.Labels["app"] = name;
        return pod;
    }

    private Task<SyncStaticPodsResponse> SyncAsync(string node, params Pod[] pods) => SyncAsync(node, [], pods);

    private async Task<SyncStaticPodsResponse> SyncAsync(string node, ManifestError[] errors, params Pod[] pods)
    {
        var request = new SyncStaticPodsRequest();
        request.Pods.Add(pods);
        request.ManifestErrors.Add(errors);
        return await _api.Service.SyncStaticPods(request, As(node)).DefaultTimeout();
    }

    private Pod? Stored(string name) => _api.Store.Get<Pod>("default", name);

    private Task ReportRunningAsync(string node, Pod pod) => _api.Service.ReportPodStatus(new ReportPodStatusRequest
    {
        Reports = { new PodStatusReport { Pod = new PodKey { Namespace = "default", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid }, Status = new PodStatus { Phase = "Running" } } },
    }, As(node)).DefaultTimeout();

    [Fact]
    public async Task SyncStaticPods_NewStaticPod_CreatesItsMirrorWithTheUidAnnotationAndNodeOwner()
    {
        var response = await SyncAsync("n1", StaticPod("web", "n1"));

        Assert.Empty(response.Rejected);
        var mirror = Stored("web-n1");
        Assert.NotNull(mirror);
        Assert.Equal("hash-1", mirror.Metadata.Uid);
        Assert.Equal("hash-1", mirror.Metadata.Annotations[MirrorPodAnnotations.Mirror]);
        Assert.Equal("web", mirror.Metadata.Labels["app"]);
        var owner = Assert.Single(mirror.Metadata.OwnerReferences);
        var node = _api.Store.Get<Node>("", "n1")!;
        Assert.Equal(("v1", "Node", "n1", node.Metadata.Uid, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller));
        Assert.Equal("Pending", mirror.Status.Phase);
    }

    [Fact]
    public async Task SyncStaticPods_StatusReportedByUid_ReachesTheMirror()
    {
        var pod = StaticPod("web", "n1");
        await SyncAsync("n1", pod);

        await ReportRunningAsync("n1", pod);

        Assert.Equal("Running", Stored("web-n1")!.Status.Phase);
    }

    [Fact]
    public async Task SyncStaticPods_SameUidOtherLabels_UpdatesInPlaceAndKeepsTheStatus()
    {
        var pod = StaticPod("web", "n1");
        await SyncAsync("n1", pod);
        await ReportRunningAsync("n1", pod);
        var before = Stored("web-n1")!;
        var relabelled = pod.Clone();
        relabelled.Metadata.Labels["tier"] = "edge";

        await SyncAsync("n1", relabelled);

        var after = Stored("web-n1")!;
        Assert.Equal(before.Metadata.Uid, after.Metadata.Uid);
        Assert.Equal(before.Metadata.CreationTimestamp, after.Metadata.CreationTimestamp);
        Assert.Equal("edge", after.Metadata.Labels["tier"]);
        Assert.Equal("Running", after.Status.Phase);
    }

    [Fact]
    public async Task SyncStaticPods_Unchanged_WritesNothing()
    {
        var pod = StaticPod("web", "n1");
        await SyncAsync("n1", pod);
        var revision = _api.Store.Revision;

        await SyncAsync("n1", pod);

        Assert.Equal(revision, _api.Store.Revision);
    }

    [Fact]
    public async Task SyncStaticPods_NewUid_ReplacesTheMirror()
    {
        await SyncAsync("n1", StaticPod("web", "n1", "hash-1"));
        var changed = StaticPod("web", "n1", "hash-2");
        changed.Spec.Containers[0].Image = "busybox:1.37";

        await SyncAsync("n1", changed);

        var mirror = Stored("web-n1")!;
        Assert.Equal("hash-2", mirror.Metadata.Uid);
        Assert.Equal("hash-2", mirror.Metadata.Annotations[MirrorPodAnnotations.Mirror]);
        Assert.Equal("busybox:1.37", mirror.Spec.Containers[0].Image);
        Assert.Equal("Pending", mirror.Status.Phase);
    }

    [Fact]
    public async Task SyncStaticPods_PodLeftTheSet_DeletesOnlyThisNodesMirror()
    {
        await SyncAsync("n1", StaticPod("web", "n1"), StaticPod("log", "n1", "hash-2"));
        await SyncAsync("n2", StaticPod("web", "n2", "hash-3"));
        await _api.Store.CreateAsync(Pod("daemon", "n1"), Token).DefaultTimeout();

        await SyncAsync("n1", StaticPod("log", "n1", "hash-2"));

        Assert.Null(Stored("web-n1"));
        Assert.NotNull(Stored("log-n1"));
        Assert.NotNull(Stored("web-n2"));
        Assert.NotNull(Stored("daemon"));
    }

    [Fact]
    public async Task SyncStaticPods_PodOfAnotherNode_RefusedNamingBothNodesAndNothingChanges()
    {
        await SyncAsync("n1", StaticPod("web", "n1"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => SyncAsync("n2", StaticPod("web", "n1", "forged")));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("pods \"web-n1\" is forbidden: node \"n2\" can only mirror its own static pods, not one bound to node \"n1\"", ex.Status.Detail);
        Assert.Equal("hash-1", Stored("web-n1")!.Metadata.Uid);
    }

    [Fact]
    public async Task SyncStaticPods_NameTakenByAPodThatIsNotAMirror_RejectedAndTheOthersMirrored()
    {
        var daemon = await _api.Store.CreateAsync(Pod("web-n1", "n1"), Token).DefaultTimeout();

        var response = await SyncAsync("n1", StaticPod("web", "n1"), StaticPod("log", "n1", "hash-2"));

        Assert.Equal("pod default/web-n1 is not mirrored: a pod of that name exists and is not a mirror of node n1", Assert.Single(response.Rejected));
        Assert.Equal(daemon, Stored("web-n1"));
        Assert.NotNull(Stored("log-n1"));
    }

    [Fact]
    public async Task SyncStaticPods_InvalidPod_RejectedWithItsFieldAndTheOthersMirrored()
    {
        var invalid = StaticPod("bad", "n1", "hash-2");
        invalid.Spec.Containers.Clear();

        var response = await SyncAsync("n1", invalid, StaticPod("web", "n1"));

        var rejected = Assert.Single(response.Rejected);
        Assert.StartsWith("pod default/bad-n1 is not mirrored: The Pod \"bad-n1\" is invalid: spec.containers: Required value", rejected, StringComparison.Ordinal);
        Assert.Null(Stored("bad-n1"));
        Assert.NotNull(Stored("web-n1"));
    }

    [Fact]
    public async Task SyncStaticPods_NewNamespace_CreatedOnFirstUse()
    {
        await SyncAsync("n1", StaticPod("web", "n1", ns: "monitoring"));

        Assert.NotNull(_api.Store.Get<Namespace>("", "monitoring"));
        Assert.NotNull(_api.Store.Get<Pod>("monitoring", "web-n1"));
    }

    [Fact]
    public async Task SyncStaticPods_UnknownNode_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => SyncAsync("ghost", StaticPod("web", "ghost")));

        Assert.Equal((StatusCode.NotFound, "nodes \"ghost\" not found"), (ex.StatusCode, ex.Status.Detail));
    }

    [Fact]
    public async Task SyncStaticPods_ManifestErrors_ConditionFalseAndOneWarningEventPerNewError()
    {
        ManifestError[] errors = [new() { File = "/etc/m/a.yaml", Line = 3, Message = "unknown field \"imgae\"" }, new() { File = "/etc/m/b.json", Message = "not a Pod" }];

        await SyncAsync("n1", errors);
        await SyncAsync("n1", errors);

        var condition = _api.Store.Get<Node>("", "n1")!.Status.Conditions.Single(c => c.Type == ManifestsCondition.Type);
        Assert.Equal(("False", "InvalidManifest", "/etc/m/a.yaml:3: unknown field \"imgae\"; /etc/m/b.json: not a Pod"), (condition.Status, condition.Reason, condition.Message));
        var events = _api.Store.List<Event>().Where(e => e.InvolvedObject.Kind == "Node").OrderBy(e => e.Message, StringComparer.Ordinal).ToList();
        Assert.Equal(["/etc/m/a.yaml:3: unknown field \"imgae\"", "/etc/m/b.json: not a Pod"], events.Select(e => e.Message));
        Assert.All(events, e => Assert.Equal(("Warning", "FailedValidation", 1, "n1"), (e.Type, e.Reason, e.Count, e.InvolvedObject.Name)));

        await SyncAsync("n1");

        condition = _api.Store.Get<Node>("", "n1")!.Status.Conditions.Single(c => c.Type == ManifestsCondition.Type);
        Assert.Equal(("True", "ManifestsValid", "all manifests valid"), (condition.Status, condition.Reason, condition.Message));
        Assert.True(NodeConditions.IsReady(_api.Store.Get<Node>("", "n1")!));
    }

    [Fact]
    public async Task DeletePod_Mirror_GoneAtOnceAndBackWithItsUidAndStatusAndAWarning()
    {
        var pod = StaticPod("web", "n1");
        await SyncAsync("n1", pod);
        await ReportRunningAsync("n1", pod);

        var response = await _api.Admin.Delete(new DeleteRequest { Ref = new ObjectReference { Kind = ResourceKind.Pod, Name = "web-n1" } }, new TestServerCallContext()).DefaultTimeout();

        Assert.Equal(
            "pod default/web-n1 is the mirror of a static pod on node n1: it is recreated, and the pod keeps running until its manifest file is removed from that host",
            Assert.Single(response.Warnings));
        var mirror = Stored("web-n1")!;
        Assert.Null(mirror.Metadata.DeletionTimestamp);
        Assert.Equal(("hash-1", "Running"), (mirror.Metadata.Uid, mirror.Status.Phase));
        Assert.NotEqual(response.Object.Pod.Metadata.ResourceVersion, mirror.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task DeletePod_MirrorBeforeTheNodeSynced_RecreatedFromItself()
    {
        await SyncAsync("n1", StaticPod("web", "n1"));
        var stored = Stored("web-n1")!;
        // Another control plane (a restart) knows no set yet.
        var mirrors = new MirrorPods(_api.Store, new ControlPlane.Events.EventRecorder(_api.Store, TimeProvider.System), AdminServiceHarness.PodSecurity(_api.Store), TimeProvider.System,
            NullLogger<MirrorPods>.Instance);

        var warning = await mirrors.DeleteAsync(stored, Token).DefaultTimeout();

        Assert.NotNull(warning);
        var mirror = Stored("web-n1")!;
        Assert.Equal((stored.Metadata.Uid, stored.Metadata.Annotations, stored.Metadata.OwnerReferences), (mirror.Metadata.Uid, mirror.Metadata.Annotations, mirror.Metadata.OwnerReferences));
    }

    [Fact]
    public async Task DeleteNode_MirrorsGoAndTheNodesSetIsForgotten()
    {
        await SyncAsync("n1", StaticPod("web", "n1"));

        await _api.Admin.Delete(new DeleteRequest { Ref = new ObjectReference { Kind = ResourceKind.Node, Name = "n1" } }, new TestServerCallContext()).DefaultTimeout();

        Assert.Null(Stored("web-n1"));
        var ex = await Assert.ThrowsAsync<RpcException>(() => SyncAsync("n1", StaticPod("web", "n1")));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Terminate_Mirror_DeletedAtOnceWithoutWaitingForTheAgent()
    {
        await SyncAsync("n1", StaticPod("web", "n1"));

        await new PodTerminator(_api.Store, TimeProvider.System).TerminateAsync(Stored("web-n1")!, null, Token).DefaultTimeout();

        Assert.Null(Stored("web-n1"));
    }

    [Fact]
    public async Task Apply_PodClaimingToBeAMirror_Forbidden()
    {
        var pod = Pod("fake", "n1");
        pod.Metadata.Annotations[MirrorPodAnnotations.Mirror] = "x";

        var ex = await Assert.ThrowsAsync<RpcException>(() => _api.Admin.Apply(new ApplyRequest { Object = pod.Wrap() }, new TestServerCallContext()));

        Assert.Equal((StatusCode.PermissionDenied, "pods \"fake\" is forbidden: mirror pods are created by the agent of their node only"), (ex.StatusCode, ex.Status.Detail));
        Assert.Null(Stored("fake"));
    }

    [Fact]
    public async Task Apply_PodOverAMirror_Forbidden()
    {
        await SyncAsync("n1", StaticPod("web", "n1"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => _api.Admin.Apply(new ApplyRequest { Object = Pod("web-n1", "n2").Wrap() }, new TestServerCallContext()));

        Assert.Equal((StatusCode.PermissionDenied, "pods \"web-n1\" is forbidden: mirror pods are created by the agent of their node only"), (ex.StatusCode, ex.Status.Detail));
    }

    [Fact]
    public async Task Label_Mirror_ForbiddenAndUnchanged()
    {
        await SyncAsync("n1", StaticPod("web", "n1"));
        var before = Stored("web-n1");

        var ex = await Assert.ThrowsAsync<RpcException>(() => _api.Admin.Label(new LabelRequest
        {
            Ref = new ObjectReference { Kind = ResourceKind.Pod, Name = "web-n1" },
            Set = { ["tier"] = "x" },
        }, new TestServerCallContext()));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(before, Stored("web-n1"));
    }

    [Fact]
    public async Task SyncStaticPods_ViolatesTheNamespaceEnforceLevel_MirroredAnywayWithAWarningEvent()
    {
        await ControlPlane.Api.Namespaces.EnsureAsync(_api.Store, "default", Token).DefaultTimeout();
        await _api.Store.MutateAsync<Namespace>("", "default", n =>
        {
            n.Metadata.Labels["pod-security.kubernetes.io/enforce"] = "baseline";
            return true;
        }, Token).DefaultTimeout();
        var pod = StaticPod("agent", "n1");
        pod.Spec.HostNetwork = true;

        var response = await SyncAsync("n1", pod);

        Assert.Empty(response.Rejected);
        var mirror = Stored("agent-n1");
        Assert.NotNull(mirror);
        var warning = Assert.Single(_api.Store.List<Event>("default"), e => e.Reason == "PodSecurityViolation");
        Assert.Equal(("Warning", "Pod", "agent-n1", mirror.Metadata.Uid), (warning.Type, warning.InvolvedObject.Kind, warning.InvolvedObject.Name, warning.InvolvedObject.Uid));
        Assert.Equal("violates PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true); mirrored anyway: static pods are the host administrator's", warning.Message);
    }
}
