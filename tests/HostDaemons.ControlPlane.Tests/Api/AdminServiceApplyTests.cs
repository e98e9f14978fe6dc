using Google.Protobuf;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Tests.Api;

/// <summary>kubectl apply's semantics: the last-applied annotation, the three-way merge, dry runs.</summary>
public sealed class AdminServiceApplyTests : IAsyncLifetime
{
    private const string Annotation = LastAppliedConfiguration.Annotation;

    private readonly AdminServiceHarness _api = new();

    private static TestServerCallContext Context => TestServerCallContext.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    /// <summary>A DaemonSet as hdctl apply sends it: as written, without defaults.</summary>
    private static DaemonSet Manifest(string image = "busybox:1.36", bool withEnv = true)
    {
        var ds = new DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = new ObjectMeta { Name = "agent" },
            Spec = new DaemonSetSpec
            {
                Selector = new LabelSelector { MatchLabels = { ["app"] = "agent" } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = { ["app"] = "agent" } },
                    Spec = new PodSpec { Containers = { new Container { Name = "main", Image = image } } },
                },
            },
        };
        if (withEnv)
        {
            ds.Spec.Template.Spec.Containers[0].Env.Add(new EnvVar { Name = "LEVEL", Value = "debug" });
        }

        return ds;
    }

    private Task<ApplyResponse> ApplyAsync(IKubeObject value, ApplyMode mode = ApplyMode.Apply, bool dryRun = false) =>
        _api.Service.Apply(new ApplyRequest { Object = value.Wrap(), Mode = mode, DryRun = dryRun }, Context).DefaultTimeout();

    private DaemonSet? Stored() => _api.Store.Get<DaemonSet>("default", "agent");

    [Fact]
    public async Task Apply_New_StoresTheManifestAsWrittenInTheAnnotation()
    {
        await ApplyAsync(Manifest());

        var stored = Stored()!;
        var expected = Manifest();
        expected.Metadata.Namespace = "default";
        Assert.Equal(LastAppliedConfiguration.Of(expected), stored.Metadata.Annotations[Annotation]);
        Assert.DoesNotContain("imagePullPolicy", stored.Metadata.Annotations[Annotation], StringComparison.Ordinal);
        Assert.Equal("IfNotPresent", stored.Spec.Template.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public async Task Apply_CreateMode_StoresNoAnnotation()
    {
        await ApplyAsync(Manifest(), ApplyMode.Create);

        Assert.Empty(Stored()!.Metadata.Annotations);
    }

    [Fact]
    public async Task Apply_EnvVarRemovedFromTheManifest_IsRemoved()
    {
        await ApplyAsync(Manifest());

        var result = await ApplyAsync(Manifest(withEnv: false));

        Assert.Equal(ApplyOutcome.Configured, result.Outcome);
        Assert.Empty(Stored()!.Spec.Template.Spec.Containers[0].Env);
        Assert.Equal(2, Stored()!.Metadata.Generation);
    }

    [Fact]
    public async Task Apply_LabelAddedByOthers_SurvivesTheSameManifestUnchanged()
    {
        await ApplyAsync(Manifest());
        await _api.Service.Label(new LabelRequest { Ref = new ObjectReference { Kind = ResourceKind.DaemonSet, Name = "agent" }, Set = { ["team"] = "infra" } }, Context).DefaultTimeout();

        var unchanged = await ApplyAsync(Manifest());
        var configured = await ApplyAsync(Manifest("busybox:1.37"));

        Assert.Equal(ApplyOutcome.Unchanged, unchanged.Outcome);
        Assert.Equal(ApplyOutcome.Configured, configured.Outcome);
        Assert.Equal("infra", Stored()!.Metadata.Labels["team"]);
        Assert.Equal("busybox:1.37", Stored()!.Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task Apply_ImageSetByOthersNotInTheManifestsChange_TheManifestWins()
    {
        await ApplyAsync(Manifest());
        await _api.Store.MutateAsync<DaemonSet>("default", "agent", d =>
        {
            d.Spec.Template.Spec.Containers[0].Image = "busybox:edge";
            d.Spec.Template.Spec.Containers[0].Args.Add("--verbose");
            return true;
        }, TestContext.Current.CancellationToken).DefaultTimeout();

        await ApplyAsync(Manifest("busybox:1.37"));

        var container = Stored()!.Spec.Template.Spec.Containers[0];
        Assert.Equal("busybox:1.37", container.Image);
        Assert.Equal(["--verbose"], container.Args);
    }

    [Fact]
    public async Task Apply_ObjectCreatedWithoutAnnotation_WarnsRemovesNothingAndAddsIt()
    {
        await ApplyAsync(Manifest(), ApplyMode.Create);

        var result = await ApplyAsync(Manifest(withEnv: false));

        Assert.Equal(ApplyOutcome.Configured, result.Outcome);
        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith($"resource daemonsets/agent is missing the {Annotation} annotation", warning, StringComparison.Ordinal);
        Assert.Single(Stored()!.Spec.Template.Spec.Containers[0].Env);
        Assert.True(Stored()!.Metadata.Annotations.ContainsKey(Annotation));
    }

    [Fact]
    public async Task Apply_DryRunNew_CreatedButNothingStored()
    {
        var result = await ApplyAsync(Manifest(), dryRun: true);

        Assert.Equal(ApplyOutcome.Created, result.Outcome);
        Assert.Equal("IfNotPresent", result.Object.DaemonSet.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.True(result.Object.DaemonSet.Metadata.Annotations.ContainsKey(Annotation));
        Assert.Null(Stored());
    }

    [Fact]
    public async Task Apply_DryRunChange_ConfiguredWithTheMergedObjectButNothingStored()
    {
        await ApplyAsync(Manifest());
        var before = Stored()!;
        var revision = _api.Store.Revision;

        var result = await ApplyAsync(Manifest("busybox:1.37", withEnv: false), dryRun: true);
        var same = await ApplyAsync(Manifest(), dryRun: true);

        Assert.Equal(ApplyOutcome.Configured, result.Outcome);
        Assert.Equal(ApplyOutcome.Unchanged, same.Outcome);
        var merged = result.Object.DaemonSet;
        Assert.Equal("busybox:1.37", merged.Spec.Template.Spec.Containers[0].Image);
        Assert.Empty(merged.Spec.Template.Spec.Containers[0].Env);
        Assert.Equal(2, merged.Metadata.Generation);
        Assert.Equal(revision, _api.Store.Revision);
        Assert.Same(before, Stored());
    }

    [Fact]
    public async Task Apply_DryRunInvalid_StillValidated()
    {
        await ApplyAsync(Manifest());
        var manifest = Manifest();
        manifest.Spec.Selector.MatchLabels["app"] = "other";
        manifest.Spec.Template.Metadata.Labels["app"] = "other";

        var ex = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => ApplyAsync(manifest, dryRun: true));

        Assert.Contains("field is immutable", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_SecretKeyRemovedFromTheManifest_IsRemoved()
    {
        var secret = new Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new ObjectMeta { Name = "s" } };
        secret.Data["a"] = ByteString.CopyFromUtf8("1");
        secret.Data["b"] = ByteString.CopyFromUtf8("2");
        await ApplyAsync(secret);
        secret.Data.Remove("b");

        var result = await ApplyAsync(secret);

        Assert.Equal(ApplyOutcome.Configured, result.Outcome);
        var stored = _api.Store.Get<Secret>("default", "s")!;
        Assert.Equal(["a"], stored.Data.Keys);
        Assert.Equal("Opaque", stored.Type);
        Assert.Equal(ApplyOutcome.Unchanged, (await ApplyAsync(secret)).Outcome);
    }

    [Fact]
    public async Task Apply_SecretStringData_UnchangedOnReapply()
    {
        var secret = new Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new ObjectMeta { Name = "s" } };
        secret.StringData["user"] = "alice";
        await ApplyAsync(secret);

        var result = await ApplyAsync(secret);

        Assert.Equal(ApplyOutcome.Unchanged, result.Outcome);
        Assert.Equal("alice", _api.Store.Get<Secret>("default", "s")!.Data["user"].ToStringUtf8());
    }
}
