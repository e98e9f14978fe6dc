using System.Text.Json.Nodes;

namespace HostDaemons.Model.Tests.Patching;

internal static class PatchAssert
{
    public static JsonNode Json(string text) => JsonNode.Parse(text)!;

    public static void JsonEqual(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {JsonNode.Parse(expected)!.ToJsonString()}\nactual   {actual?.ToJsonString()}");
}
