using System.Text.Json.Nodes;
using HostDaemons.ControlPlane.KubeApi.OpenApi;

namespace HostDaemons.ControlPlane.Tests.KubeApi.OpenApi;

/// <summary>The documents made with a hand-written patch metadata table, parsed, and the ways kubectl reads them.</summary>
internal static class OpenApiTestDocuments
{
    public static OpenApiDocuments Create() => new(FakePatchMetadata);

    /// <summary>A few entries of Kubernetes' table (PatchStrategies), enough to see each kind of entry carried to the schemas.</summary>
    public static PatchMetadata? FakePatchMetadata(Google.Protobuf.Reflection.FieldDescriptor field) => field.FullName switch
    {
        "hostdaemons.v1.PodSpec.containers" => new PatchMetadata("merge", "name", "map", ["name"]),
        "hostdaemons.v1.PodSpec.volumes" => new PatchMetadata("merge,retainKeys", "name", "map", ["name"]),
        "hostdaemons.v1.PodSpec.tolerations" => new PatchMetadata(null, null, "atomic"),
        "hostdaemons.v1.Container.ports" => new PatchMetadata("merge", "containerPort", "map", ["containerPort", "protocol"]),
        "hostdaemons.v1.ObjectMeta.finalizers" => new PatchMetadata("merge", null, "set"),
        _ => null,
    };

    public static JsonObject Parse(OpenApiDocuments documents, string groupVersionPath)
    {
        Assert.True(documents.TryGet(groupVersionPath, out var json, out _), groupVersionPath);
        return JsonNode.Parse(json.Span)!.AsObject();
    }

    public static JsonObject Schemas(JsonObject document) => document["components"]!["schemas"]!.AsObject();

    public static JsonObject Schema(JsonObject document, string name) =>
        Schemas(document)[name]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"no schema {name}");

    /// <summary>The schema a $ref (or an allOf of one $ref) points at, or the schema itself.</summary>
    public static JsonObject Resolve(JsonObject document, JsonObject schema)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            return Schema(document, reference["#/components/schemas/".Length..]);
        }

        return schema["allOf"] is JsonArray { Count: 1 } allOf ? Resolve(document, allOf[0]!.AsObject()) : schema;
    }

    /// <summary>
    /// Follows a field path as kubectl explain's template does: a property of the (resolved) schema, else into the items
    /// of a list or the values of a map, else into each allOf; null when the path does not exist.
    /// </summary>
    public static JsonObject? Explain(JsonObject document, JsonObject schema, IReadOnlyList<string> path)
    {
        if (path.Count == 0)
        {
            return schema;
        }

        var resolved = Resolve(document, schema);
        if (resolved["properties"]?[path[0]] is JsonObject property)
        {
            return Explain(document, property, [.. path.Skip(1)]);
        }

        if (resolved["items"] is JsonObject items)
        {
            return Explain(document, items, path);
        }

        if (resolved["additionalProperties"] is JsonObject values)
        {
            return Explain(document, values, path);
        }

        return resolved["allOf"] is JsonArray allOf
            ? allOf.Select(s => Explain(document, s!.AsObject(), path)).FirstOrDefault(s => s is not null)
            : null;
    }

    /// <summary>kubectl explain's "typeGuess": the type it prints beside a field (<c>[]Volume</c>, <c>map[string]Quantity</c>, <c>IntOrString</c>).</summary>
    public static string TypeGuess(JsonObject document, JsonObject schema)
    {
        if (schema["items"] is JsonObject items)
        {
            return "[]" + TypeGuess(document, items);
        }

        if (schema["additionalProperties"] is JsonObject values)
        {
            return "map[string]" + TypeGuess(document, values);
        }

        if (schema["allOf"] is JsonArray { Count: 1 } allOf && schema["properties"] is null)
        {
            return TypeGuess(document, allOf[0]!.AsObject());
        }

        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            var target = Resolve(document, schema);
            var type = (string?)target["type"];
            return type is null or "object" ? reference.Split('/')[^1].Split('.')[^1] : type;
        }

        return (string?)schema["type"] is null or "object" ? "Object" : (string)schema["type"]!;
    }

    /// <summary>The schema that carries the GVK in its x-kubernetes-group-version-kind list, as kubectl explain finds it.</summary>
    public static JsonObject? SchemaWithGvk(JsonObject document, string group, string version, string kind) =>
        Schemas(document).Select(p => p.Value!.AsObject()).FirstOrDefault(s => s["x-kubernetes-group-version-kind"] is JsonArray gvks
            && gvks.Any(g => (string?)g!["group"] == group && (string?)g["version"] == version && (string?)g["kind"] == kind));

    public static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where method.Key != "parameters"
        select (path.Key, method.Key, method.Value!.AsObject());

    public static IEnumerable<string> Refs(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" ? [p.Value!.GetValue<string>()] : Refs(p.Value)),
        JsonArray array => array.SelectMany(Refs),
        _ => [],
    };
}
