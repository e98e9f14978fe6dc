using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Printing;

namespace HostDaemons.Model.Tests.Printing;

/// <summary>The <c>meta.k8s.io/v1</c> Table kube-apiserver answers to <c>as=Table</c>, and its <c>includeObject</c> variants.</summary>
public sealed class KubeTableWriterTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonObject List(IncludeObject include, string? continueToken = null) =>
        KubeTableWriter.Build(ResourceKinds.DaemonSet, [TableFixtures.DaemonSet()], "1234", continueToken, include, TableFixtures.Now);

    [Fact]
    public void Build_List_IsATableWithListMetadataColumnsAndRows()
    {
        var table = List(IncludeObject.Metadata, continueToken: "next-page");

        Assert.Equal(["kind", "apiVersion", "metadata", "columnDefinitions", "rows"], table.Select(p => p.Key));
        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        Assert.Equal("""{"resourceVersion":"1234","continue":"next-page"}""", table["metadata"]!.ToJsonString());
        Assert.Equal(11, table["columnDefinitions"]!.AsArray().Count);
        Assert.StartsWith(
            """{"name":"Name","type":"string","format":"name","description":"Name must be unique within a namespace.""",
            table["columnDefinitions"]![0]!.ToJsonString(), StringComparison.Ordinal);
        Assert.EndsWith("\"priority\":0}", table["columnDefinitions"]![0]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("""{"name":"Containers","type":"string","format":"","description":"Names of each container in the template.","priority":1}""",
            table["columnDefinitions"]![8]!.ToJsonString());
        Assert.Equal("""["ssd-monitor",3,3,2,1,2,"<none>","5m","main,side","busybox:1.36,nginx","app=ssd-monitor"]""",
            table["rows"]![0]!["cells"]!.ToJsonString(Relaxed));
    }

    [Fact]
    public void Build_WithoutContinueOrResourceVersion_LeavesThemOut()
    {
        var table = KubeTableWriter.Build(ResourceKinds.Pod, [], "", null, IncludeObject.Metadata, TableFixtures.Now);

        Assert.Equal("{}", table["metadata"]!.ToJsonString());
        Assert.Empty(table["rows"]!.AsArray());
    }

    [Fact]
    public void Build_IncludeMetadata_IsPartialObjectMetadata()
    {
        var row = List(IncludeObject.Metadata)["rows"]![0]!;
        var partial = row["object"]!;

        Assert.Equal(["cells", "object"], row.AsObject().Select(p => p.Key));
        Assert.Equal("PartialObjectMetadata", (string?)partial["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)partial["apiVersion"]);
        Assert.Equal("ssd-monitor", (string?)partial["metadata"]!["name"]);
        Assert.Equal("default", (string?)partial["metadata"]!["namespace"]);
        Assert.Equal("42", (string?)partial["metadata"]!["resourceVersion"]);
        Assert.Equal("ssd-monitor", (string?)partial["metadata"]!["labels"]!["app"]);
        Assert.Equal("2026-01-02T02:59:05Z", (string?)partial["metadata"]!["creationTimestamp"]);
        Assert.Null(partial["spec"]);
    }

    [Fact]
    public void Build_IncludeObject_IsTheWholeObjectWithItsKind()
    {
        var ds = TableFixtures.DaemonSet();
        ds.ApiVersion = "";
        ds.Kind = "";

        var full = KubeTableWriter.Build(ResourceKinds.DaemonSet, [ds], "1", null, IncludeObject.Object, TableFixtures.Now)["rows"]![0]!["object"]!;

        Assert.Equal("apps/v1", (string?)full["apiVersion"]);
        Assert.Equal("DaemonSet", (string?)full["kind"]);
        Assert.Equal("busybox:1.36", (string?)full["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal(3, (int?)full["status"]!["desiredNumberScheduled"]);
    }

    [Fact]
    public void Build_IncludeNone_HasANullObject()
    {
        var row = List(IncludeObject.None)["rows"]![0]!.AsObject();

        Assert.True(row.ContainsKey("object"));
        Assert.Null(row["object"]);
        Assert.Equal("""{"cells":["ssd-monitor",3,3,2,1,2,"<none>","5m","main,side","busybox:1.36,nginx","app=ssd-monitor"],"object":null}""", row.ToJsonString(Relaxed));
    }

    [Fact]
    public void Build_V1Beta1_NamesThatVersionOnTheTableAndItsPartialObjects()
    {
        var table = KubeTableWriter.Build(ResourceKinds.DaemonSet, [TableFixtures.DaemonSet()], "1", null, IncludeObject.Metadata, TableFixtures.Now, KubeTableWriter.V1Beta1);

        Assert.Equal("meta.k8s.io/v1beta1", (string?)table["apiVersion"]);
        Assert.Equal("meta.k8s.io/v1beta1", (string?)table["rows"]![0]!["object"]!["apiVersion"]);
    }

    [Fact]
    public void Build_FinishedPod_RowIsMarkedCompleted()
    {
        var pod = TableFixtures.Pod();
        pod.Status.Phase = "Succeeded";

        var row = KubeTableWriter.Build(ResourceKinds.Pod, [pod, TableFixtures.Pod()], "1", null, IncludeObject.None, TableFixtures.Now)["rows"]!;

        Assert.Equal("""[{"type":"Completed","status":"True","reason":"Succeeded","message":"The pod has completed successfully."}]""", row[0]!["conditions"]!.ToJsonString());
        Assert.False(row[1]!.AsObject().ContainsKey("conditions"));
    }

    [Fact]
    public void BuildOne_GetByName_IsOneRowWithTheObjectsResourceVersion()
    {
        var table = KubeTableWriter.BuildOne(ResourceKinds.Node, TableFixtures.Node(), IncludeObject.Metadata, TableFixtures.Now);

        Assert.Single(table["rows"]!.AsArray());
        Assert.Equal("node-1", (string?)table["rows"]![0]!["cells"]![0]);
        Assert.Equal("{}", table["metadata"]!.ToJsonString());

        var pod = KubeTableWriter.BuildOne(ResourceKinds.Pod, TableFixtures.Pod(), IncludeObject.Metadata, TableFixtures.Now);
        Assert.Equal("""{"resourceVersion":"42"}""", pod["metadata"]!.ToJsonString());
    }

    [Fact]
    public void TableWatchEncoder_SendsTheColumnDefinitionsWithTheFirstEventOnly()
    {
        var encoder = new TableWatchEncoder(ResourceKinds.Pod, IncludeObject.Metadata);

        var first = encoder.Encode(TableFixtures.Pod(), TableFixtures.Now);
        var second = encoder.Encode(TableFixtures.Pod(), TableFixtures.Now);

        Assert.Equal(9, first["columnDefinitions"]!.AsArray().Count);
        Assert.True(second.ContainsKey("columnDefinitions"));
        Assert.Null(second["columnDefinitions"]);
        Assert.Equal("ssd-monitor-abcde", (string?)second["rows"]![0]!["cells"]![0]);
        Assert.Equal("PartialObjectMetadata", (string?)second["rows"]![0]!["object"]!["kind"]);
    }

    [Theory]
    [InlineData(null, IncludeObject.Metadata)]
    [InlineData("", IncludeObject.Metadata)]
    [InlineData("Metadata", IncludeObject.Metadata)]
    [InlineData("None", IncludeObject.None)]
    [InlineData("Object", IncludeObject.Object)]
    public void IncludeObjects_TryParse_KnownValues(string? value, IncludeObject expected)
    {
        Assert.True(IncludeObjects.TryParse(value, out var include));
        Assert.Equal(expected, include);
    }

    [Fact]
    public void IncludeObjects_TryParse_UnknownValueIsRefusedWithTheServersMessage()
    {
        Assert.False(IncludeObjects.TryParse("object", out _));
        Assert.Equal("unrecognized includeObject value: \"object\"", IncludeObjects.UnrecognizedMessage("object"));
    }
}
