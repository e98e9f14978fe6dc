using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Serialization;

public sealed class LastAppliedConfigurationTests
{
    private const string Annotation = LastAppliedConfiguration.Annotation;

    /// <summary>A DaemonSet as a manifest writes it (no defaults), with one env var and a node selector.</summary>
    private static DaemonSet Manifest()
    {
        var ds = TestObjects.DaemonSet();
        ds.ApiVersion = "apps/v1";
        ds.Kind = "DaemonSet";
        ds.Metadata.Namespace = "default";
        ds.Spec.Template.Spec.Containers[0].Env.Add(new EnvVar { Name = "LEVEL", Value = "debug" });
        ds.Spec.Template.Spec.NodeSelector["disk"] = "ssd";
        return ds;
    }

    /// <summary>What the server stores for an apply of <paramref name="manifest"/>: defaults, identity, status.</summary>
    private static DaemonSet Stored(DaemonSet manifest)
    {
        var stored = LastAppliedConfiguration.WithAnnotation(manifest);
        ObjectDefaults.Apply(stored);
        stored.Metadata.Uid = "uid-1";
        stored.Metadata.ResourceVersion = "7";
        stored.Metadata.Generation = 3;
        stored.Metadata.CreationTimestamp = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 1, 1, 0, 0, 0, 123, TimeSpan.Zero));
        stored.Status = new DaemonSetStatus { DesiredNumberScheduled = 4 };
        return stored;
    }

    private static DaemonSet Apply(DaemonSet live, DaemonSet manifest)
    {
        var merged = LastAppliedConfiguration.Merge(live, manifest);
        ObjectDefaults.Apply(merged);
        return merged;
    }

    [Fact]
    public void Of_Manifest_CompactSortedJsonWithEmptyAnnotationsAsKubectlWritesIt()
    {
        var ds = TestObjects.DaemonSet();
        ds.ApiVersion = "apps/v1";
        ds.Kind = "DaemonSet";
        ds.Metadata.Namespace = "default";

        var value = LastAppliedConfiguration.Of(ds);

        Assert.Equal(
            """{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"annotations":{},"name":"x","namespace":"default"},"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"image":"busybox","name":"main"}]}}}}""" + "\n",
            value);
    }

    [Fact]
    public void Of_ObjectWithServerFieldsAndAnOldAnnotation_LeavesThemOut()
    {
        var stored = Stored(Manifest());
        stored.Metadata.Annotations["team"] = "infra";

        var value = JsonNode.Parse(LastAppliedConfiguration.Of(stored))!;

        Assert.Equal("""{"team":"infra"}""", value["metadata"]!["annotations"]!.ToJsonString());
        Assert.Equal(["annotations", "name", "namespace"], value["metadata"]!.AsObject().Select(p => p.Key));
        Assert.Null(value["status"]);
    }

    [Fact]
    public void WithAnnotation_Manifest_CarriesItsOwnConfiguration()
    {
        var manifest = Manifest();

        var annotated = LastAppliedConfiguration.WithAnnotation(manifest);

        Assert.Equal(LastAppliedConfiguration.Of(manifest), annotated.Metadata.Annotations[Annotation]);
        Assert.Empty(manifest.Metadata.Annotations);
    }

    [Fact]
    public void Read_NoOrBrokenAnnotation_Null()
    {
        var ds = Manifest();
        Assert.Null(LastAppliedConfiguration.Read(ds));
        ds.Metadata.Annotations[Annotation] = "{not json";
        Assert.Null(LastAppliedConfiguration.Read(ds));
        ds.Metadata.Annotations[Annotation] = "[]";
        Assert.Null(LastAppliedConfiguration.Read(ds));
    }

    [Fact]
    public void Merge_SameManifest_EqualsTheLiveObject()
    {
        var live = Stored(Manifest());

        Assert.Equal(live, Apply(live, Manifest()));
    }

    [Fact]
    public void Merge_EnvVarAndNodeSelectorEntryRemoved_AreGoneAndTheRestStays()
    {
        var live = Stored(Manifest());
        var manifest = Manifest();
        manifest.Spec.Template.Spec.Containers[0].Env.Clear();
        manifest.Spec.Template.Spec.NodeSelector.Clear();
        manifest.Spec.Template.Spec.NodeSelector["zone"] = "a";

        var merged = Apply(live, manifest);

        Assert.Empty(merged.Spec.Template.Spec.Containers[0].Env);
        Assert.Equal(new Dictionary<string, string> { ["zone"] = "a" }, merged.Spec.Template.Spec.NodeSelector);
        Assert.Equal("IfNotPresent", merged.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal(LastAppliedConfiguration.Of(manifest), merged.Metadata.Annotations[Annotation]);
    }

    [Fact]
    public void Merge_LabelAndEnvVarAddedByOthers_Stay()
    {
        var live = Stored(Manifest());
        live.Metadata.Labels["team"] = "infra";
        live.Spec.Template.Spec.Containers[0].Env.Add(new EnvVar { Name = "INJECTED", Value = "1" });
        var manifest = Manifest();
        manifest.Spec.Template.Spec.Containers[0].Image = "busybox:2";

        var merged = Apply(live, manifest);

        Assert.Equal("infra", merged.Metadata.Labels["team"]);
        Assert.Equal(["LEVEL", "INJECTED"], merged.Spec.Template.Spec.Containers[0].Env.Select(e => e.Name));
        Assert.Equal("busybox:2", merged.Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public void Merge_ServerFieldsInTheManifest_KeptFromTheLiveObject()
    {
        var live = Stored(Manifest());
        var manifest = Manifest();
        manifest.Metadata.Uid = "forged";
        manifest.Metadata.Generation = 99;
        manifest.Status = new DaemonSetStatus { DesiredNumberScheduled = 99 };

        var merged = Apply(live, manifest);

        Assert.Equal(live, merged);
        Assert.Equal(live.Metadata.CreationTimestamp, merged.Metadata.CreationTimestamp);
    }

    [Fact]
    public void Merge_LiveObjectWithoutAnnotation_RemovesNothingAndAddsIt()
    {
        var live = Stored(Manifest());
        live.Metadata.Annotations.Clear();
        var manifest = Manifest();
        manifest.Spec.Template.Spec.NodeSelector.Clear();

        var merged = Apply(live, manifest);

        Assert.Equal("ssd", merged.Spec.Template.Spec.NodeSelector["disk"]);
        Assert.Equal(LastAppliedConfiguration.Of(manifest), merged.Metadata.Annotations[Annotation]);
    }

    [Fact]
    public void Merge_Secret_DataKeyRemovedAndTypeKept()
    {
        var manifest = new Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new ObjectMeta { Name = "s", Namespace = "default" } };
        manifest.Data["a"] = ByteString.CopyFromUtf8("1");
        manifest.Data["b"] = ByteString.CopyFromUtf8("2");
        var live = LastAppliedConfiguration.WithAnnotation(manifest);
        live.Type = "Opaque";
        manifest.Data.Remove("b");

        var merged = LastAppliedConfiguration.Merge(live, manifest);

        Assert.Equal(["a"], merged.Data.Keys);
        Assert.Equal("Opaque", merged.Type);
    }

    [Fact]
    public void Decode_EncodedObject_RoundTrips()
    {
        var live = Stored(Manifest());
        live.Status = null;
        live.Metadata.CreationTimestamp = null;

        Assert.Equal(live, LastAppliedConfiguration.Decode<DaemonSet>(ObjectEncoder.Encode(live)));
    }
}
