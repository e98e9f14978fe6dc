using System.Text.Json.Nodes;
using HostDaemons.Model.Patching;
using static HostDaemons.Model.Tests.Patching.PatchAssert;

namespace HostDaemons.Model.Tests.Patching;

public sealed class JsonPatchTests
{
    private const string Ds = """{"metadata":{"name":"agent","labels":{"app":"agent","a/b":"x","c~d":"y"}},"spec":{"containers":[{"name":"app","image":"1"},{"name":"side","image":"2"}]}}""";

    private static JsonNode Patch(string operations) => JsonPatch.Apply(Json(Ds), Json(operations));

    private static PatchException Fails(string operations) => Assert.Throws<PatchException>(() => Patch(operations));

    [Fact]
    public void Add_SetsAMemberAndInsertsIntoLists()
    {
        var result = Patch("""
            [{"op":"add","path":"/metadata/labels/team","value":"infra"},
             {"op":"add","path":"/spec/containers/1","value":{"name":"mid"}},
             {"op":"add","path":"/spec/containers/-","value":{"name":"last"}},
             {"op":"add","path":"/spec/containers/-2","value":{"name":"beforeLast"}}]
            """);

        Assert.Equal("infra", (string)result["metadata"]!["labels"]!["team"]!);
        Assert.Equal(["app", "mid", "side", "beforeLast", "last"], result["spec"]!["containers"]!.AsArray().Select(c => (string)c!["name"]!));
    }

    [Fact]
    public void Pointers_UnescapeTildeAndSlash()
    {
        var result = Patch("""[{"op":"remove","path":"/metadata/labels/a~1b"},{"op":"replace","path":"/metadata/labels/c~0d","value":"z"}]""");

        JsonEqual("""{"app":"agent","c~d":"z"}""", result["metadata"]!["labels"]);
    }

    [Fact]
    public void Replace_Remove_Move_Copy_Test()
    {
        var result = Patch("""
            [{"op":"test","path":"/spec/containers/0/image","value":"1"},
             {"op":"replace","path":"/spec/containers/0/image","value":"3"},
             {"op":"copy","from":"/spec/containers/0","path":"/spec/containers/-"},
             {"op":"move","from":"/metadata/labels/app","path":"/metadata/labels/name"},
             {"op":"remove","path":"/spec/containers/1"},
             {"op":"test","path":"/spec/containers","value":[{"name":"app","image":"3"},{"name":"app","image":"3"}]}]
            """);

        JsonEqual("""{"a/b":"x","c~d":"y","name":"agent"}""", result["metadata"]!["labels"]);
    }

    [Fact]
    public void Copy_IsIndependentOfItsSource()
    {
        var result = Patch("""[{"op":"copy","from":"/spec/containers/0","path":"/spec/copied"},{"op":"replace","path":"/spec/copied/image","value":"9"}]""");

        Assert.Equal("1", (string)result["spec"]!["containers"]![0]!["image"]!);
        Assert.Equal("9", (string)result["spec"]!["copied"]!["image"]!);
    }

    [Fact]
    public void Replace_OfAMissingMember_AddsItAsKubernetesDoes()
    {
        var result = Patch("""[{"op":"replace","path":"/metadata/namespace","value":"x"}]""");

        Assert.Equal("x", (string)result["metadata"]!["namespace"]!);
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/spec/containers/0/image","value":"2"}]""", "testing value /spec/containers/0/image failed: test failed")]
    [InlineData("""[{"op":"remove","path":"/metadata/annotations/x"}]""", "remove operation does not apply: doc is missing path: \"/metadata/annotations/x\": missing value")]
    [InlineData("""[{"op":"remove","path":"/metadata/labels/x"}]""", "error in remove for path: '/metadata/labels/x': Unable to remove nonexistent key: x: missing value")]
    [InlineData("""[{"op":"remove","path":"/spec/containers/5"}]""", "error in remove for path: '/spec/containers/5': Unable to access invalid index: 5: invalid index referenced")]
    [InlineData("""[{"op":"add","path":"/spec/containers/x","value":1}]""", "error in add for path: '/spec/containers/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("""[{"op":"add","path":"/spec/containers/3","value":1}]""", "error in add for path: '/spec/containers/3': Unable to access invalid index: 3: invalid index referenced")]
    [InlineData("""[{"op":"add","path":"/nope/x","value":1}]""", "add operation does not apply: doc is missing path: \"/nope/x\": missing value")]
    [InlineData("""[{"op":"replace","path":"/spec/containers/9","value":1}]""", "replace operation does not apply: doc is missing key: /spec/containers/9: missing value")]
    [InlineData("""[{"op":"replace","path":"/nope/x","value":1}]""", "replace operation does not apply: doc is missing path: /nope/x: missing value")]
    [InlineData("""[{"op":"move","from":"/nope/x","path":"/a"}]""", "move operation does not apply: doc is missing from path: /nope/x: missing value")]
    [InlineData("""[{"op":"copy","from":"/spec","path":"/nope/x"}]""", "copy operation does not apply: doc is missing destination path: /nope/x: missing value")]
    [InlineData("""[{"op":"test","path":"/nope/x","value":1}]""", "test operation does not apply: is missing path: /nope/x: missing value")]
    [InlineData("""[{"op":"frob","path":"/a"}]""", "Unexpected kind: frob")]
    [InlineData("""[{"path":"/a"}]""", "Unexpected kind: unknown")]
    [InlineData("""[{"op":"add","value":1}]""", "add operation failed to decode path: missing value")]
    [InlineData("""[{"op":"test","value":1}]""", "test operation failed to decode path: operation missing path field: missing value")]
    [InlineData("""[{"op":"move","path":"/a"}]""", "move operation failed to decode from: operation, missing from field: missing value")]
    public void FailedOperations_AreUnprocessableWithEvanphxMessages(string operations, string message)
    {
        var error = Fails(operations);

        Assert.Equal(PatchErrorKind.UnprocessableEntity, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void AFailedOperation_LeavesNoPartialResult()
    {
        var original = Json(Ds);

        Assert.Throws<PatchException>(() => JsonPatch.Apply(original, Json("""[{"op":"remove","path":"/metadata"},{"op":"test","path":"/x","value":1}]""")));

        JsonEqual(Ds, original);
    }

    [Theory]
    [InlineData("""{"op":"add"}""", "json: cannot unmarshal object into Go value of type jsonpatch.Patch")]
    [InlineData("""["add"]""", "json: cannot unmarshal string into Go value of type jsonpatch.Operation")]
    public void MalformedPatches_AreBadRequests(string patch, string message)
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json(Ds), Json(patch)));

        Assert.Equal(PatchErrorKind.BadRequest, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void MoreOperationsThanKubernetesAllows_AreRefused()
    {
        var operations = new JsonArray(Enumerable.Range(0, PatchLimits.MaxJsonPatchOperations + 1)
            .Select(_ => (JsonNode)new JsonObject { ["op"] = "test", ["path"] = "/metadata/name", ["value"] = "agent" }).ToArray());

        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json(Ds), operations));

        Assert.Equal(PatchErrorKind.RequestEntityTooLarge, error.Kind);
        Assert.Equal("The allowed maximum operations in a JSON patch is 10000, got 10001", error.Message);
    }

    [Fact]
    public void DoublingCopies_AreStoppedAtTheSizeBound()
    {
        var operations = new JsonArray(new JsonObject { ["op"] = "add", ["path"] = "/x", ["value"] = new JsonArray(1, 2, 3, 4) });
        for (var i = 0; i < 40; i++)
        {
            operations.Add(new JsonObject { ["op"] = "copy", ["from"] = "/x", ["path"] = "/x/-" });
        }

        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Json("{}"), operations));

        Assert.Equal(PatchErrorKind.RequestEntityTooLarge, error.Kind);
    }
}
