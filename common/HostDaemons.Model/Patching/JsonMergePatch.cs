using System.Text.Json.Nodes;
using Map = System.Collections.Generic.OrderedDictionary<string, object?>;

namespace HostDaemons.Model.Patching;

/// <summary>
/// JSON merge patch (RFC 7386, <c>application/merge-patch+json</c>) as Kubernetes applies it (evanphx/json-patch's
/// <c>MergePatch</c>): objects merge key by key, null deletes, anything else (lists included) replaces; the nulls of a
/// replacing object are dropped.
/// </summary>
public static class JsonMergePatch
{
    /// <summary>The document <paramref name="original"/> with <paramref name="patch"/> applied. The inputs are never changed.</summary>
    /// <exception cref="PatchException">The patch is not a JSON object (Kubernetes: 400 "Invalid JSON Patch").</exception>
    public static JsonObject Apply(JsonNode original, JsonNode? patch)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (original is not JsonObject)
        {
            throw new ArgumentException("the original object must be a JSON object", nameof(original));
        }

        if (patch is not JsonObject)
        {
            throw new PatchException(PatchErrorKind.BadRequest, "Invalid JSON Patch");
        }

        var document = (Map)PlainJson.From(original)!;
        Merge(document, (Map)PlainJson.From(patch)!);
        return (JsonObject)PlainJson.ToNode(document)!;
    }

    private static void Merge(Map document, Map patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                document.Remove(key);
            }
            else if (value is Map patchMap && document.GetValueOrDefault(key) is Map documentMap)
            {
                Merge(documentMap, patchMap);
            }
            else
            {
                document[key] = PlainJson.DiscardNulls(value);
            }
        }
    }
}
