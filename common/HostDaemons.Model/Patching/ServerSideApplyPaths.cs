using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HostDaemons.Model.Serialization;

namespace HostDaemons.Model.Patching;

/// <summary>
/// Server-side apply's view of an object as field paths (structured-merge-diff's <c>ToFieldSet</c> and
/// <c>Compare</c>): fields and map entries are <c>f:</c>, items of a <c>listType=map</c> list are <c>k:</c> with their
/// keys, items of a <c>set</c> are <c>v:</c>, and an atomic list, a scalar or an empty object is a leaf.
/// </summary>
internal static class ServerSideApplyPaths
{
    public static string Field(string name) => "f:" + name;

    /// <summary>The path element of a list item, or null when the item lacks every key (the list is then owned whole).</summary>
    public static string? Item(JsonNode? item, FieldPatchMeta meta)
    {
        if (meta.ListType == ListType.Set)
        {
            return "v:" + (item?.ToJsonString() ?? "null");
        }

        if (item is not JsonObject obj)
        {
            return null;
        }

        var key = new JsonObject();
        foreach (var name in meta.ListMapKeys.Order(StringComparer.Ordinal))
        {
            if (obj[name] is { } value)
            {
                key[name] = value.DeepClone();
            }
        }

        return key.Count == 0 ? null : "k:" + key.ToJsonString();
    }

    /// <summary>The set of paths an object sets.</summary>
    public static FieldSet Of(JsonNode? value, PatchSchema schema)
    {
        var set = new FieldSet();
        Walk(value, schema, FieldPatchMeta.Atomic, [], set);
        return set;
    }

    private static void Walk(JsonNode? value, PatchSchema schema, FieldPatchMeta meta, List<string> path, FieldSet set)
    {
        if (path.Count > PatchLimits.MaxDepth)
        {
            throw new PatchException(PatchErrorKind.BadRequest, $"the object is nested deeper than {PatchLimits.MaxDepth} levels");
        }

        switch (value)
        {
            case JsonObject obj when (schema.IsStruct && !schema.IsAtomicStruct) || schema.IsMap:
                if (obj.Count == 0 && path.Count > 0)
                {
                    set.Insert(path);
                }

                foreach (var (key, child) in obj)
                {
                    path.Add(Field(key));
                    var field = schema.TryLookup(key);
                    if (field is not { } known)
                    {
                        set.Insert(path);
                    }
                    else if (!schema.IsMap)
                    {
                        Walk(child, known.Schema, known.Meta, path, set);
                    }
                    else
                    {
                        // A map entry is owned as a whole and, when it holds an object, field by field as well.
                        set.Insert(path);
                        if (child is JsonObject or JsonArray)
                        {
                            Walk(child, known.Schema, known.Meta, path, set);
                        }
                    }

                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonArray list when meta.ListType != ListType.Atomic && list.All(item => Item(item, meta) is not null):
                foreach (var item in list)
                {
                    path.Add(Item(item, meta)!);
                    set.Insert(path);
                    if (meta.ListType == ListType.Map)
                    {
                        Walk(item, schema, FieldPatchMeta.Atomic, path, set);
                    }

                    path.RemoveAt(path.Count - 1);
                }

                break;
            default:
                if (path.Count > 0)
                {
                    set.Insert(path);
                }

                break;
        }
    }

    /// <summary>structured-merge-diff's <c>Compare</c>: the paths <paramref name="after"/> adds, changes and removes from <paramref name="before"/>.</summary>
    public static (FieldSet Added, FieldSet Modified, FieldSet Removed) Compare(JsonNode? before, JsonNode? after, PatchSchema schema)
    {
        var added = new FieldSet();
        var modified = new FieldSet();
        var removed = new FieldSet();
        CompareNode(before, after, schema, FieldPatchMeta.Atomic, [], added, modified, removed);
        return (added, modified, removed);
    }

    private static void CompareNode(JsonNode? before, JsonNode? after, PatchSchema schema, FieldPatchMeta meta, List<string> path,
        FieldSet added, FieldSet modified, FieldSet removed)
    {
        if (before is JsonObject left && after is JsonObject right && ((schema.IsStruct && !schema.IsAtomicStruct) || schema.IsMap))
        {
            foreach (var key in left.Select(e => e.Key).Union(right.Select(e => e.Key)).ToList())
            {
                path.Add(Field(key));
                var field = schema.TryLookup(key);
                var childSchema = field?.Schema ?? schema;
                var childMeta = field?.Meta ?? FieldPatchMeta.Atomic;
                var inLeft = left.TryGetPropertyValue(key, out var l);
                var inRight = right.TryGetPropertyValue(key, out var r);
                if (!inLeft)
                {
                    AddSubtree(added, r, field is null ? null : childSchema, childMeta, path);
                }
                else if (!inRight)
                {
                    AddSubtree(removed, l, field is null ? null : childSchema, childMeta, path);
                }
                else if (field is null)
                {
                    CompareLeaf(l, r, path, modified);
                }
                else
                {
                    CompareNode(l, r, childSchema, childMeta, path, added, modified, removed);
                }

                path.RemoveAt(path.Count - 1);
            }

            return;
        }

        if (before is JsonArray leftList && after is JsonArray rightList && meta.ListType != ListType.Atomic
            && leftList.Concat(rightList).All(item => Item(item, meta) is not null))
        {
            var leftItems = ByElement(leftList, meta);
            var rightItems = ByElement(rightList, meta);
            foreach (var element in leftItems.Keys.Union(rightItems.Keys).ToList())
            {
                path.Add(element);
                var inLeft = leftItems.TryGetValue(element, out var l);
                var inRight = rightItems.TryGetValue(element, out var r);
                var itemMeta = FieldPatchMeta.Atomic;
                if (!inLeft)
                {
                    AddItem(added, r, schema, meta, path);
                }
                else if (!inRight)
                {
                    AddItem(removed, l, schema, meta, path);
                }
                else if (meta.ListType == ListType.Map)
                {
                    CompareNode(l, r, schema, itemMeta, path, added, modified, removed);
                }

                path.RemoveAt(path.Count - 1);
            }

            return;
        }

        CompareLeaf(before, after, path, modified);
    }

    private static void CompareLeaf(JsonNode? before, JsonNode? after, List<string> path, FieldSet modified)
    {
        if (!JsonNode.DeepEquals(before, after))
        {
            modified.Insert(path);
        }
    }

    /// <summary>
    /// An added or removed value: its path (but for a message, which Kubernetes' typed objects always have, so it is
    /// never added as a whole) and every path under it.
    /// </summary>
    private static void AddSubtree(FieldSet set, JsonNode? value, PatchSchema? schema, FieldPatchMeta meta, List<string> path)
    {
        if (schema is not { IsStruct: true } || value is not JsonObject { Count: > 0 })
        {
            set.Insert(path);
        }

        if (schema is not null && value is JsonObject or JsonArray)
        {
            Walk(value, schema, meta, path, set);
        }
    }

    private static void AddItem(FieldSet set, JsonNode? item, PatchSchema schema, FieldPatchMeta meta, List<string> path)
    {
        set.Insert(path);
        if (meta.ListType == ListType.Map)
        {
            Walk(item, schema, FieldPatchMeta.Atomic, path, set);
        }
    }

    /// <summary>A list's items by path element (the first of duplicates).</summary>
    public static Dictionary<string, JsonNode?> ByElement(JsonArray list, FieldPatchMeta meta)
    {
        var items = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            items.TryAdd(Item(item, meta)!, item);
        }

        return items;
    }

    /// <summary>Kubernetes' text of a path in conflict messages: <c>.spec.template.spec.containers[name="app"].image</c>.</summary>
    public static string Display(IReadOnlyList<string> path)
    {
        var text = new StringBuilder();
        foreach (var element in path)
        {
            var body = element[2..];
            switch (element[0])
            {
                case 'f':
                    text.Append('.').Append(body);
                    break;
                case 'k':
                    var keys = JsonNode.Parse(body)!.AsObject();
                    text.Append('[').AppendJoin(',', keys.Select(k => $"{k.Key}={ValueText(k.Value)}")).Append(']');
                    break;
                case 'v':
                    text.Append("[=").Append(ValueText(JsonNode.Parse(body))).Append(']');
                    break;
                default:
                    text.Append('[').Append(body).Append(']');
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>structured-merge-diff's <c>value.ToString</c>: strings quoted as Go does, numbers and booleans bare.</summary>
    private static string ValueText(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String => GoStrings.Quote(scalar.GetValue<string>()),
        JsonValue scalar => scalar.ToJsonString(),
        _ => value.ToJsonString(),
    };

    /// <summary>RFC 3339 with whole seconds in UTC, as managedFields times are written.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
