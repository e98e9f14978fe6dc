using System.Text.Json.Nodes;

namespace HostDaemons.Model.Patching;

/// <summary>
/// The two tree operations of server-side apply: merging an applied configuration into the live object
/// (structured-merge-diff's <c>Merge</c>, with its order of merged lists) and removing the fields a manager no longer
/// applies when no manager owns them any more (<c>prune</c>).
/// </summary>
internal static class ServerSideApplyMerge
{
    /// <summary>A new tree: <paramref name="live"/> with <paramref name="config"/> merged in (config wins; null removes).</summary>
    public static JsonNode? Merge(JsonNode? live, JsonNode? config, PatchSchema schema, FieldPatchMeta meta)
    {
        if (live is JsonObject left && config is JsonObject right && ((schema.IsStruct && !schema.IsAtomicStruct) || schema.IsMap))
        {
            var result = (JsonObject)left.DeepClone();
            foreach (var (key, value) in right)
            {
                if (value is null)
                {
                    result.Remove(key);
                }
                else if (result[key] is { } current && schema.TryLookup(key) is { } field)
                {
                    result[key] = Merge(current, value, field.Schema, field.Meta);
                }
                else
                {
                    result[key] = value.DeepClone();
                }
            }

            return result;
        }

        if (live is JsonArray leftList && config is JsonArray rightList && meta.ListType != ListType.Atomic
            && leftList.Concat(rightList).All(item => ServerSideApplyPaths.Item(item, meta) is not null))
        {
            return MergeList(leftList, rightList, schema, meta);
        }

        return config?.DeepClone();
    }

    /// <summary>
    /// structured-merge-diff's list merge: items both lists have are merged where the live list had them, as long as
    /// the configuration's order of them allows; the configuration's new items come where it places them, the live
    /// list's other items stay in place.
    /// </summary>
    private static JsonArray MergeList(JsonArray live, JsonArray config, PatchSchema schema, FieldPatchMeta meta)
    {
        var leftElements = live.Select(item => ServerSideApplyPaths.Item(item, meta)!).ToList();
        var rightElements = config.Select(item => ServerSideApplyPaths.Item(item, meta)!).ToList();
        var leftItems = ServerSideApplyPaths.ByElement(live, meta);
        var rightItems = ServerSideApplyPaths.ByElement(config, meta);
        var shared = new Queue<string>(rightElements.Where(leftItems.ContainsKey));
        var nextShared = shared.TryDequeue(out var first) ? first : null;
        var merged = new HashSet<string>(StringComparer.Ordinal);
        var result = new JsonArray();

        int l = 0, r = 0;
        while (l < leftElements.Count || r < rightElements.Count)
        {
            if (l < leftElements.Count && r < rightElements.Count)
            {
                var element = leftElements[l];
                if (element == rightElements[r])
                {
                    merged.Add(element);
                    result.Add(MergeItem(leftItems[element], rightItems[element], schema, meta));
                    l++;
                    r++;
                    nextShared = shared.TryDequeue(out var next) ? next : null;
                    continue;
                }

                if (rightItems.ContainsKey(element) && nextShared is not null && nextShared != element)
                {
                    l++;
                    continue;
                }
            }

            if (l < leftElements.Count)
            {
                var element = leftElements[l];
                if (!rightItems.ContainsKey(element))
                {
                    result.Add(live[l]?.DeepClone());
                    l++;
                    continue;
                }

                if (merged.Contains(element))
                {
                    l++;
                    continue;
                }
            }

            if (r < rightElements.Count)
            {
                var element = rightElements[r];
                if (merged.Add(element))
                {
                    result.Add(MergeItem(leftItems.GetValueOrDefault(element), rightItems[element], schema, meta));
                }

                r++;
                if (nextShared == element)
                {
                    nextShared = shared.TryDequeue(out var next) ? next : null;
                }
            }
        }

        return result;
    }

    private static JsonNode? MergeItem(JsonNode? live, JsonNode? config, PatchSchema schema, FieldPatchMeta meta) =>
        live is not null && meta.ListType == ListType.Map ? Merge(live, config, schema, FieldPatchMeta.Atomic) : config?.DeepClone();

    /// <summary>
    /// Removes from <paramref name="value"/> (in place) each path of <paramref name="last"/> that no manager owns in
    /// <paramref name="owned"/>, whole; a path some manager still owns something under stays, pruned inside. The keys
    /// of a list item that stays are kept.
    /// </summary>
    public static void Prune(JsonNode? value, FieldSet last, FieldSet? owned, PatchSchema schema, FieldPatchMeta meta, IReadOnlyCollection<string> keyFields)
    {
        var positions = value is JsonArray items ? Positions(items, meta) : null;
        var removedItems = new List<int>();
        foreach (var (element, lastChild) in last.Children)
        {
            var ownedChild = owned?.Children.GetValueOrDefault(element);
            switch (value)
            {
                case JsonObject obj when element.StartsWith("f:", StringComparison.Ordinal):
                    var name = element[2..];
                    if (!obj.ContainsKey(name) || keyFields.Contains(name))
                    {
                        continue;
                    }

                    if (ownedChild is null || ownedChild.IsEmpty)
                    {
                        obj.Remove(name);
                    }
                    else if (schema.TryLookup(name) is { } field)
                    {
                        Prune(obj[name], lastChild, ownedChild, field.Schema, field.Meta, []);
                    }

                    break;
                case JsonArray list when element[0] is 'k' or 'v':
                    if (!positions!.TryGetValue(element, out var index))
                    {
                        continue;
                    }

                    if (ownedChild is null || ownedChild.IsEmpty)
                    {
                        removedItems.Add(index);
                    }
                    else if (meta.ListType == ListType.Map)
                    {
                        Prune(list[index], lastChild, ownedChild, schema, FieldPatchMeta.Atomic, meta.ListMapKeys);
                    }

                    break;
            }
        }

        if (value is JsonArray pruned)
        {
            foreach (var index in removedItems.OrderDescending())
            {
                pruned.RemoveAt(index);
            }
        }
    }

    private static Dictionary<string, int> Positions(JsonArray list, FieldPatchMeta meta)
    {
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            if (ServerSideApplyPaths.Item(list[i], meta) is { } element)
            {
                positions.TryAdd(element, i);
            }
        }

        return positions;
    }
}
