using HostDaemons.Model.Patching;
using static HostDaemons.Model.Tests.Patching.PatchAssert;

namespace HostDaemons.Model.Tests.Patching;

public sealed class JsonMergePatchTests
{
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", "{}")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("{}", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    [InlineData("""{"a":1}""", """{"b":[{"c":null,"d":1},null]}""", """{"a":1,"b":[{"d":1},null]}""")]
    public void Apply_FollowsRfc7386(string original, string patch, string expected)
    {
        JsonEqual(expected, JsonMergePatch.Apply(Json(original), Json(patch)));
    }

    [Fact]
    public void Apply_ContainersList_IsReplacedWhole()
    {
        var result = JsonMergePatch.Apply(
            Json("""{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}}}}"""),
            Json("""{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"3"}]}}}}"""));

        JsonEqual("""{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"3"}]}}}}""", result);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"x\"")]
    [InlineData("null")]
    public void Apply_PatchNotAnObject_IsABadRequest(string patch)
    {
        var error = Assert.Throws<PatchException>(() => JsonMergePatch.Apply(Json("{}"), JsonNodeOrNull(patch)));

        Assert.Equal(PatchErrorKind.BadRequest, error.Kind);
        Assert.Equal("Invalid JSON Patch", error.Message);
    }

    [Fact]
    public void Apply_NeverChangesItsInputs()
    {
        var original = Json("""{"a":{"b":1},"c":2}""");
        var patch = Json("""{"a":{"b":null},"c":null}""");

        JsonMergePatch.Apply(original, patch);

        JsonEqual("""{"a":{"b":1},"c":2}""", original);
        JsonEqual("""{"a":{"b":null},"c":null}""", patch);
    }

    private static System.Text.Json.Nodes.JsonNode? JsonNodeOrNull(string text) => System.Text.Json.Nodes.JsonNode.Parse(text);
}
