using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using Map = System.Collections.Generic.OrderedDictionary<string, object?>;

namespace HostDaemons.Model.Patching;

/// <summary>
/// Kubernetes' strategic merge patch (<c>application/strategic-merge-patch+json</c>) over JSON trees, with the
/// semantics of apimachinery's <c>StrategicMergeMapPatch</c>: null deletes a key; objects and maps merge key by key;
/// a list whose field has the <c>merge</c> strategy (<see cref="PatchStrategies"/>) merges item by item on its merge
/// key (a list of scalars: as a union), every other list is replaced; the directives <c>$patch</c>
/// (<c>replace</c>/<c>delete</c> in an object, <c>replace</c>/<c>delete</c> as a list item), <c>$retainKeys</c>,
/// <c>$setElementOrder/&lt;field&gt;</c> and <c>$deleteFromPrimitiveList/&lt;field&gt;</c>; merged lists in
/// Kubernetes' order (the patch's items in its order, the other items where they were).
/// Where Kubernetes stores a patch value verbatim (a field or list item the object did not have), its nulls are
/// dropped and its directives applied to an empty value, instead of being kept as unknown <c>$</c> keys.
/// The inputs are never changed; the work is linear in their size up to sorting, bounded by <see cref="PatchLimits"/>.
/// </summary>
public static partial class StrategicMergePatch
{
    private const string DirectiveMarker = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
    private const string SetElementOrderPrefix = "$setElementOrder";

    /// <summary>
    /// The object <paramref name="original"/> (Kubernetes JSON shape of a message of type <paramref name="descriptor"/>)
    /// with <paramref name="patch"/> applied. A null patch (the JSON <c>null</c>) changes nothing.
    /// </summary>
    /// <exception cref="PatchException">The patch cannot be applied; its message is Kubernetes'.</exception>
    public static JsonObject Apply(JsonNode original, JsonNode? patch, MessageDescriptor descriptor) =>
        Apply(original, patch, descriptor, PatchStrategies.For);

    internal static JsonObject Apply(JsonNode original, JsonNode? patch, MessageDescriptor descriptor, Func<FieldDescriptor, FieldPatchMeta?> strategies)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(descriptor);
        if (original is not JsonObject)
        {
            throw new ArgumentException("the original object must be a JSON object", nameof(original));
        }

        if (patch is not null and not JsonObject)
        {
            throw new PatchException(PatchErrorKind.BadRequest, $"json: cannot unmarshal {JsonKind(patch)} into Go value of type map[string]interface {{}}");
        }

        var originalMap = (Map)PlainJson.From(original)!;
        if (patch is null)
        {
            return (JsonObject)PlainJson.ToNode(originalMap)!;
        }

        var patchMap = (Map)PlainJson.From(patch)!;
        return (JsonObject)PlainJson.ToNode(MergeMap(originalMap, patchMap, PatchSchema.ForMessage(descriptor, strategies)))!;
    }

    private static string JsonKind(JsonNode node) => node switch
    {
        JsonArray => "array",
        JsonValue value => value.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => "string",
            System.Text.Json.JsonValueKind.Number => "number",
            _ => "bool",
        },
        _ => "object",
    };

    private static Map MergeMap(Map original, Map patch, PatchSchema schema)
    {
        if (patch.TryGetValue(DirectiveMarker, out var directive))
        {
            return DirectiveInMap(directive, patch);
        }

        ApplyRetainKeys(original, patch);
        MergeElementOrder(original, patch, schema);

        // Deletions from primitive lists first: Go's map order is random, and the two never overlap in patches clients make.
        var entries = patch.Where(e => e.Key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            .Concat(patch.Where(e => !e.Key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal)))
            .ToList();
        foreach (var (patchKey, value) in entries)
        {
            var isDeleteList = patchKey.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal);
            var key = isDeleteList ? ExtractKey(patchKey, DeleteFromPrimitiveListPrefix) : patchKey;
            if (value is null)
            {
                original.Remove(key);
                continue;
            }

            if (!original.TryGetValue(key, out var current) || !SameShape(current, value))
            {
                if (!isDeleteList)
                {
                    original[key] = Fresh(value, schema.TryLookup(key));
                }

                continue;
            }

            switch (current)
            {
                case Map currentMap:
                    var (child, mapMeta) = schema.Lookup(key);
                    original[key] = mapMeta.Strategy == "replace" ? value : MergeMap(currentMap, (Map)value, child);
                    break;
                case List<object?> currentList:
                    var (element, listMeta) = schema.Lookup(key);
                    original[key] = listMeta.Merges ? MergeList(currentList, (List<object?>)value, element, listMeta.MergeKey, isDeleteList) : value;
                    break;
                default:
                    original[key] = value;
                    break;
            }
        }

        return original;
    }

    private static bool SameShape(object? left, object? right) =>
        (left is Map) == (right is Map) && (left is List<object?>) == (right is List<object?>);

    private static Map DirectiveInMap(object? directive, Map patch)
    {
        switch (DirectiveText(directive))
        {
            case "replace":
                patch.Remove(DirectiveMarker);
                return patch;
            case "delete":
                return new Map(StringComparer.Ordinal);
            default:
                throw BadPatchType(directive, patch);
        }
    }

    /// <summary>
    /// A value the object did not have: Kubernetes stores it as it is; its nulls are dropped and its directives applied
    /// here (to an empty value) so that no <c>$</c> key reaches the object.
    /// </summary>
    private static object? Fresh(object? value, (PatchSchema Schema, FieldPatchMeta Meta)? field)
    {
        switch (value)
        {
            case Map map when field is { } known:
                return MergeMap(new Map(StringComparer.Ordinal), map, known.Schema);
            case List<object?> list when field is { } known:
                if (known.Meta.Merges && list.Any(item => item is Map itemMap && itemMap.ContainsKey(DirectiveMarker)))
                {
                    return MergeList([], list, known.Schema, known.Meta.MergeKey, isDeleteList: false);
                }

                return list.Select(item => item is Map itemMap ? MergeMap(new Map(StringComparer.Ordinal), itemMap, known.Schema) : PlainJson.DiscardNulls(item)).ToList();
            default:
                return PlainJson.DiscardNulls(value);
        }
    }

    /// <summary>Kubernetes' <c>applyRetainKeysDirective</c>: keys of the object not in <c>$retainKeys</c> are cleared.</summary>
    private static void ApplyRetainKeys(Map original, Map patch)
    {
        if (!patch.Remove(RetainKeysDirective, out var retain))
        {
            return;
        }

        if (retain is not List<object?> retainList)
        {
            throw new PatchException(PatchErrorKind.BadRequest, "invalid patch format of retainKeys");
        }

        var retained = retainList.Select(PlainJson.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (value is null || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal) || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!retained.Contains("s" + key))
            {
                throw new PatchException(PatchErrorKind.UnprocessableEntity, "patch content doesn't match retainKeys list");
            }
        }

        foreach (var key in original.Keys.Where(k => !retained.Contains("s" + k)).ToList())
        {
            original.Remove(key);
        }
    }

    /// <summary>Kubernetes' <c>extractKey</c>: the field a <c>$directive/field</c> key names.</summary>
    private static string ExtractKey(string key, string prefix)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || key[..slash] != prefix)
        {
            throw new PatchException(PatchErrorKind.BadRequest, prefix == SetElementOrderPrefix
                ? "invalid patch format of setElementOrder list"
                : "invalid patch format of primitive list");
        }

        return key[(slash + 1)..];
    }

    private static string? DirectiveText(object? directive) =>
        directive is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : null;

    private static PatchException BadPatchType(object? directive, Map map) =>
        new(PatchErrorKind.InternalError, $"unknown patch type: {GoString(directive)} in map: {PlainJson.GoFormat(map)}");

    /// <summary>Go's <c>%s</c> of a decoded value: a string as it is, anything else as <c>%!s(type=value)</c>.</summary>
    private static string GoString(object? value) => DirectiveText(value) ?? (value is null
        ? "%!s(<nil>)"
        : $"%!s({PlainJson.GoType(value)}={PlainJson.GoFormat(value)})");

    private static PatchException NoMergeKey(Map item, string mergeKey) =>
        new(PatchErrorKind.InternalError, $"map: {PlainJson.GoFormat(item)} does not contain declared merge key: {mergeKey}");

    private static PatchException BadArgType(string expected, object? actual) =>
        new(PatchErrorKind.InternalError, $"expected a {expected}, but received a {(actual is null ? "%!s(<nil>)" : PlainJson.GoType(actual))}");
}
