using System.Text.Json.Nodes;
using HostDaemons.Model.Serialization;

namespace HostDaemons.Model.Tests.Serialization;

public sealed class ThreeWayMergeTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static string Merge(string? original, string modified, string current) =>
        ThreeWayMerge.Merge(original is null ? null : Json(original), Json(modified), Json(current)).ToJsonString();

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");

    [Fact]
    public void Merge_FieldRemovedFromTheConfiguration_IsRemoved()
    {
        var merged = Merge(
            original: """{"spec":{"hostNetwork":true,"dnsPolicy":"Default"}}""",
            modified: """{"spec":{"dnsPolicy":"Default"}}""",
            current: """{"spec":{"hostNetwork":true,"dnsPolicy":"Default","restartPolicy":"Always"}}""");

        AssertJson("""{"spec":{"dnsPolicy":"Default","restartPolicy":"Always"}}""", merged);
    }

    [Fact]
    public void Merge_FieldSetByOthers_Stays()
    {
        var merged = Merge(
            original: """{"metadata":{"labels":{"app":"x"}}}""",
            modified: """{"metadata":{"labels":{"app":"x"}}}""",
            current: """{"metadata":{"labels":{"app":"x","team":"infra"},"uid":"u1"}}""");

        AssertJson("""{"metadata":{"labels":{"app":"x","team":"infra"},"uid":"u1"}}""", merged);
    }

    [Fact]
    public void Merge_FieldSetByOthersThenApplied_TakesTheAppliedValue()
    {
        var merged = Merge(
            original: """{"spec":{"image":"a:1"}}""",
            modified: """{"spec":{"image":"a:2"}}""",
            current: """{"spec":{"image":"b:9"}}""");

        AssertJson("""{"spec":{"image":"a:2"}}""", merged);
    }

    [Fact]
    public void Merge_MapEntries_MergeByKey()
    {
        var merged = Merge(
            original: """{"nodeSelector":{"disk":"ssd","zone":"a"}}""",
            modified: """{"nodeSelector":{"disk":"hdd","arch":"arm64"}}""",
            current: """{"nodeSelector":{"disk":"ssd","zone":"a","pool":"blue"}}""");

        AssertJson("""{"nodeSelector":{"disk":"hdd","pool":"blue","arch":"arm64"}}""", merged);
    }

    [Fact]
    public void Merge_WholeMapRemovedFromTheConfiguration_IsRemovedWithWhatOthersAdded()
    {
        var merged = Merge(
            original: """{"spec":{"nodeSelector":{"disk":"ssd"}}}""",
            modified: """{"spec":{}}""",
            current: """{"spec":{"nodeSelector":{"disk":"ssd","pool":"blue"}}}""");

        AssertJson("""{"spec":{}}""", merged);
    }

    [Fact]
    public void Merge_WithoutOriginal_RemovesNothing()
    {
        var merged = Merge(
            original: null,
            modified: """{"labels":{"app":"x"}}""",
            current: """{"labels":{"app":"y","team":"infra"},"other":1}""");

        AssertJson("""{"labels":{"app":"x","team":"infra"},"other":1}""", merged);
    }

    [Fact]
    public void Merge_EnvByName_RemovesDroppedKeepsOthersAndMergesMatches()
    {
        var merged = Merge(
            original: """{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}""",
            modified: """{"env":[{"name":"A","value":"10"}]}""",
            current: """{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"C","value":"3"}]}""");

        AssertJson("""{"env":[{"name":"A","value":"10"},{"name":"C","value":"3"}]}""", merged);
    }

    [Fact]
    public void Merge_ContainersByName_KeepFieldsOthersSetInsideTheItem()
    {
        var merged = Merge(
            original: """{"containers":[{"name":"main","image":"a:1"}]}""",
            modified: """{"containers":[{"name":"main","image":"a:2"}]}""",
            current: """{"containers":[{"name":"main","image":"a:1","imagePullPolicy":"IfNotPresent"}]}""");

        AssertJson("""{"containers":[{"name":"main","image":"a:2","imagePullPolicy":"IfNotPresent"}]}""", merged);
    }

    [Fact]
    public void Merge_ListItemsOnlyTheLiveObjectHas_KeepTheirPlace()
    {
        var merged = Merge(
            original: """{"containers":[{"name":"a"},{"name":"c"}]}""",
            modified: """{"containers":[{"name":"a"},{"name":"c"},{"name":"d"}]}""",
            current: """{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}""");

        Assert.Equal("""{"containers":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}]}""", merged);
    }

    [Fact]
    public void Merge_ReorderedList_AppliedOrderWithLiveOnlyItemsBeforeTheItemTheyPreceded()
    {
        // Kubernetes' mergeSortedSlice: b preceded c in the live list, and still does.
        var merged = Merge(
            original: """{"containers":[{"name":"a"},{"name":"c"}]}""",
            modified: """{"containers":[{"name":"c"},{"name":"a"}]}""",
            current: """{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}""");

        Assert.Equal("""{"containers":[{"name":"b"},{"name":"c"},{"name":"a"}]}""", merged);
    }

    [Theory]
    [InlineData("ports", "containerPort", "80", "443")]
    [InlineData("volumeMounts", "mountPath", "\"/a\"", "\"/b\"")]
    [InlineData("imagePullSecrets", "name", "\"one\"", "\"two\"")]
    [InlineData("volumes", "name", "\"one\"", "\"two\"")]
    public void Merge_ListWithMergeKey_MergesByThatKey(string field, string key, string first, string second)
    {
        var merged = Merge(
            original: $$"""{"{{field}}":[{"{{key}}":{{first}}}]}""",
            modified: $$"""{"{{field}}":[{"{{key}}":{{second}}}]}""",
            current: $$"""{"{{field}}":[{"{{key}}":{{first}}},{"{{key}}":"others"}]}""");

        AssertJson($$"""{"{{field}}":[{"{{key}}":{{second}}},{"{{key}}":"others"}]}""", merged);
    }

    [Fact]
    public void Merge_ServicePorts_MergeByPort()
    {
        var merged = Merge(
            original: """{"ports":[{"name":"http","port":80},{"name":"metrics","port":9090}]}""",
            modified: """{"ports":[{"name":"http","port":80,"targetPort":"web"}]}""",
            current: """{"ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":80},{"name":"metrics","port":9090,"protocol":"TCP"},{"name":"added","port":1}]}""");

        AssertJson("""{"ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":"web"},{"name":"added","port":1}]}""", merged);
    }

    [Theory]
    [InlineData("args")]
    [InlineData("rules")]
    [InlineData("subjects")]
    [InlineData("tolerations")]
    [InlineData("matchExpressions")]
    public void Merge_ListWithoutMergeKey_IsReplaced(string field)
    {
        var merged = Merge(
            original: $$"""{"{{field}}":[{"name":"a"}]}""",
            modified: $$"""{"{{field}}":[{"name":"b"}]}""",
            current: $$"""{"{{field}}":[{"name":"a"},{"name":"c"}]}""");

        AssertJson($$"""{"{{field}}":[{"name":"b"}]}""", merged);
    }

    [Fact]
    public void Merge_VolumeSourceSwitched_RetainsOnlyTheAppliedKeys()
    {
        var merged = Merge(
            original: null,
            modified: """{"volumes":[{"name":"data","emptyDir":{}}]}""",
            current: """{"volumes":[{"name":"data","hostPath":{"path":"/d"}}]}""");

        AssertJson("""{"volumes":[{"name":"data","emptyDir":{}}]}""", merged);
    }

    [Fact]
    public void Merge_NestedLists_MergeAtEveryLevel()
    {
        var merged = Merge(
            original: """{"containers":[{"name":"main","env":[{"name":"A","value":"1"}],"ports":[{"containerPort":80}]}]}""",
            modified: """{"containers":[{"name":"main","ports":[{"containerPort":80}]}]}""",
            current: """{"containers":[{"name":"main","env":[{"name":"A","value":"1"},{"name":"Z","value":"9"}],"ports":[{"containerPort":80,"protocol":"TCP"}]}]}""");

        AssertJson("""{"containers":[{"name":"main","ports":[{"containerPort":80,"protocol":"TCP"}]}]}""", merged);
    }

    [Fact]
    public void Merge_Inputs_AreNotChanged()
    {
        var original = Json("""{"a":{"b":1},"l":[{"name":"x"}]}""");
        var modified = Json("""{"a":{"c":2},"l":[{"name":"y"}]}""");
        var current = Json("""{"a":{"b":1,"d":3},"l":[{"name":"x"}]}""");
        var before = (original.ToJsonString(), modified.ToJsonString(), current.ToJsonString());

        var merged = ThreeWayMerge.Merge(original, modified, current);

        Assert.Equal(before, (original.ToJsonString(), modified.ToJsonString(), current.ToJsonString()));
        AssertJson("""{"a":{"d":3,"c":2},"l":[{"name":"y"}]}""", merged.ToJsonString());
    }

    [Fact]
    public void Merge_NullInTheConfiguration_DeletesTheField()
    {
        var merged = Merge(null, """{"a":null}""", """{"a":1,"b":2}""");

        AssertJson("""{"b":2}""", merged);
    }
}
