using System.Text.Json.Nodes;
using HostDaemons.Model.Patching;
using static HostDaemons.Model.Tests.Patching.PatchAssert;

namespace HostDaemons.Model.Tests.Patching;

/// <summary>
/// List order and directives on the cases of apimachinery's strategic merge patch test table, re-expressed on a pod
/// spec: <c>containers</c> stands for its merging list of maps (key <c>name</c>), <c>args</c> (given the merge
/// strategy here) for its merging list of scalars.
/// </summary>
public sealed class StrategicMergePatchOrderTests
{
    private static readonly FieldPatchMeta MergingScalars = new("merge", null, ListType.Set, []);

    private static JsonObject Apply(string original, string patch) => StrategicMergePatch.Apply(
        Json(original), Json(patch), V1.PodSpec.Descriptor, field => field.JsonName == "args" ? MergingScalars : PatchStrategies.For(field));

    [Theory]
    [InlineData( // preserve the order from the patch in a merging list
        """{"containers":[{"name":"1"},{"name":"2","image":"b"},{"name":"3"}]}""",
        """{"containers":[{"name":"3","image":"c"},{"name":"1","image":"a"},{"name":"2","workingDir":"x"}]}""",
        """{"containers":[{"name":"3","image":"c"},{"name":"1","image":"a"},{"name":"2","image":"b","workingDir":"x"}]}""")]
    [InlineData( // a server-only item stays before the patch items that followed it
        """{"containers":[{"name":"1"},{"name":"2","image":"b"},{"name":"3"}]}""",
        """{"containers":[{"name":"3","image":"c"},{"name":"1","image":"a"}]}""",
        """{"containers":[{"name":"2","image":"b"},{"name":"3","image":"c"},{"name":"1","image":"a"}]}""")]
    [InlineData( // the design's example: changed A and B, added D, server-only C first
        """{"containers":[{"name":"B"},{"name":"C"},{"name":"A"}]}""",
        """{"containers":[{"name":"A","image":"a"},{"name":"B","image":"b"},{"name":"D"}]}""",
        """{"containers":[{"name":"C"},{"name":"A","image":"a"},{"name":"B","image":"b"},{"name":"D"}]}""")]
    [InlineData( // delete every duplicate of a key
        """{"containers":[{"name":"1"},{"name":"1"},{"name":"2","image":"a"},{"name":"3"},{"name":"3"}]}""",
        """{"containers":[{"name":"1","$patch":"delete"},{"name":"3","$patch":"delete"}]}""",
        """{"containers":[{"name":"2","image":"a"}]}""")]
    [InlineData( // $setElementOrder naming an item neither list has
        """{"containers":[{"name":"1"},{"name":"3"}]}""",
        """{"$setElementOrder/containers":[{"name":"3"},{"name":"2"},{"name":"1"}],"containers":[{"name":"3","image":"3"},{"name":"1","image":"1"}]}""",
        """{"containers":[{"name":"3","image":"3"},{"name":"1","image":"1"}]}""")]
    [InlineData( // delete every item with a list-level replace
        """{"containers":[{"name":"1"},{"name":"2"}]}""",
        """{"containers":[{"$patch":"replace"}]}""",
        """{"containers":[]}""")]
    [InlineData( // scalars: unique when merging
        """{"containers":[{"name":"c","args":["1","2"]}]}""",
        """{"containers":[{"name":"c","args":["2","3"]}]}""",
        """{"containers":[{"name":"c","args":["1","2","3"]}]}""")]
    [InlineData( // scalars: the patch's order, server-only items before what followed them
        """{"containers":[{"name":"c","args":["1","2","3"]}]}""",
        """{"containers":[{"name":"c","args":["3","1"]}]}""",
        """{"containers":[{"name":"c","args":["2","3","1"]}]}""")]
    [InlineData( // scalars: $setElementOrder alone reorders, ignoring what the list lacks
        """{"containers":[{"name":"c","args":["1","3"]}]}""",
        """{"containers":[{"name":"c","$setElementOrder/args":["3","2","1"]}]}""",
        """{"containers":[{"name":"c","args":["3","1"]}]}""")]
    [InlineData( // an empty map deletes nothing; $patch: delete empties a map
        """{"nodeSelector":{"a":"1","b":"2"},"containers":[{"name":"c","resources":{"limits":{"cpu":"1"}}}]}""",
        """{"nodeSelector":{"$patch":"delete"},"containers":[{"name":"c","resources":{}}]}""",
        """{"nodeSelector":{},"containers":[{"name":"c","resources":{"limits":{"cpu":"1"}}}]}""")]
    public void Apply_MatchesKubernetesTable(string original, string patch, string expected)
    {
        JsonEqual(expected, Apply(original, patch));
    }

    [Fact]
    public void Apply_SetElementOrderContradictingThePatchOrder_Fails()
    {
        var error = Assert.Throws<PatchException>(() => Apply(
            """{"containers":[{"name":"1"},{"name":"3"},{"name":"2"}]}""",
            """{"$setElementOrder/containers":[{"name":"1"},{"name":"2"},{"name":"3"}],"containers":[{"name":"3","image":"3"},{"name":"1","image":"1"}]}"""));

        Assert.Contains("doesn't match", error.Message, StringComparison.Ordinal);
    }
}
