using Map = System.Collections.Generic.OrderedDictionary<string, object?>;

namespace HostDaemons.Model.Patching;

/// <summary>The list half of strategic merge patch: merging by key, list directives and Kubernetes' order of a merged list.</summary>
public static partial class StrategicMergePatch
{
    private const string MapType = "map[string]interface {}";
    private const string SliceType = "[]interface {}";

    /// <summary>Kubernetes' <c>mergeSlice</c> for a list with the merge strategy.</summary>
    private static List<object?> MergeList(List<object?> original, List<object?> patch, PatchSchema element, string? mergeKey, bool isDeleteList)
    {
        if (original.Count == 0 && patch.Count == 0)
        {
            return original;
        }

        List<object?> merged;
        if (!ElementsAreMaps(original, patch))
        {
            if (isDeleteList)
            {
                var deleted = patch.Select(PlainJson.Key).ToHashSet(StringComparer.Ordinal);
                return original.Where(item => !deleted.Contains(PlainJson.Key(item))).ToList();
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            merged = original.Concat(patch).Where(item => seen.Add(PlainJson.Key(item))).ToList();
            mergeKey = null;
        }
        else
        {
            if (string.IsNullOrEmpty(mergeKey))
            {
                throw new PatchException(PatchErrorKind.InternalError, $"cannot merge lists without merge key for type {element.GoKind}");
            }

            (original, patch) = ApplyListDirectives(original, patch, mergeKey);
            merged = MergeItems(original, patch, mergeKey, element);
        }

        var (patchItems, serverOnly) = Partition(merged, patch, mergeKey);
        return NormalizeOrder(patchItems, serverOnly, patch, original, mergeKey);
    }

    /// <summary>Kubernetes' <c>sliceElementType</c>: all items of both lists have one type, and no item is a list.</summary>
    private static bool ElementsAreMaps(List<object?> original, List<object?> patch)
    {
        string? type = null;
        foreach (var item in original.Concat(patch))
        {
            if (item is null)
            {
                continue;
            }

            if (item is List<object?>)
            {
                throw new PatchException(PatchErrorKind.UnprocessableEntity, "lists of lists are not supported");
            }

            var itemType = PlainJson.GoType(item);
            if (type is not null && type != itemType)
            {
                throw new PatchException(PatchErrorKind.InternalError,
                    $"list element types are not identical: [{PlainJson.GoFormat(original)} {PlainJson.GoFormat(patch)}]");
            }

            type = itemType;
        }

        return type == MapType;
    }

    /// <summary>
    /// Kubernetes' <c>mergeSliceWithSpecialElements</c>: items <c>{"$patch":"delete", key: value}</c> delete every item
    /// with that key, an item <c>{"$patch":"replace"}</c> makes the patch's other items the whole list.
    /// </summary>
    private static (List<object?> Original, List<object?> Patch) ApplyListDirectives(List<object?> original, List<object?> patch, string mergeKey)
    {
        var plain = new List<object?>(patch.Count);
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        var replace = false;
        foreach (var item in patch)
        {
            var map = (Map)item!;
            if (!map.TryGetValue(DirectiveMarker, out var directive))
            {
                plain.Add(item);
                continue;
            }

            switch (DirectiveText(directive))
            {
                case "delete":
                    if (!map.TryGetValue(mergeKey, out var keyValue))
                    {
                        throw NoMergeKey(map, mergeKey);
                    }

                    deleted.Add(PlainJson.Key(keyValue));
                    break;
                case "replace":
                    replace = true;
                    break;
                case "merge":
                    throw new PatchException(PatchErrorKind.InternalError, "merging lists cannot yet be specified in the patch");
                default:
                    throw BadPatchType(directive, map);
            }
        }

        if (replace)
        {
            return (plain, []);
        }

        var kept = deleted.Count == 0
            ? original
            : original.Where(item => !(item is Map map && map.TryGetValue(mergeKey, out var key) && deleted.Contains(PlainJson.Key(key)))).ToList();
        return (kept, plain);
    }

    /// <summary>Kubernetes' <c>mergeSliceWithoutSpecialElements</c>: each patch item merges into the item with its key, or is added.</summary>
    private static List<object?> MergeItems(List<object?> original, List<object?> patch, string mergeKey, PatchSchema element)
    {
        var merged = new List<object?>(original);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < merged.Count; i++)
        {
            if (merged[i] is Map map && map.TryGetValue(mergeKey, out var key))
            {
                index.TryAdd(PlainJson.Key(key), i);
            }
        }

        foreach (var item in patch)
        {
            var map = (Map)item!;
            if (!map.TryGetValue(mergeKey, out var keyValue))
            {
                throw NoMergeKey(map, mergeKey);
            }

            var key = PlainJson.Key(keyValue);
            if (index.TryGetValue(key, out var at))
            {
                merged[at] = MergeMap((Map)merged[at]!, map, element);
            }
            else
            {
                index[key] = merged.Count;
                merged.Add(MergeMap(new Map(StringComparer.Ordinal), map, element));
            }
        }

        return merged;
    }

    /// <summary>
    /// Kubernetes' <c>mergePatchIntoOriginal</c>: each <c>$setElementOrder/field</c> list merges the patch's list into the
    /// object's and orders the result: the listed items in the listed order, the others where they were.
    /// </summary>
    private static void MergeElementOrder(Map original, Map patch, PatchSchema schema)
    {
        foreach (var (directiveKey, orderValue) in patch.Where(e => e.Key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)).ToList())
        {
            patch.Remove(directiveKey);
            if (orderValue is not List<object?> order)
            {
                throw BadArgType(SliceType, orderValue);
            }

            var key = ExtractKey(directiveKey, SetElementOrderPrefix);
            var originalList = ListOrNull(original, key);
            var patchList = ListOrNull(patch, key);
            var (element, meta) = schema.Lookup(key);
            var mergeKey = string.IsNullOrEmpty(meta.MergeKey) ? null : meta.MergeKey;
            ValidateOrder(patchList ?? [], order, mergeKey);
            if (originalList is null && patchList is null)
            {
                continue;
            }

            List<object?> merged = patchList is null ? originalList!
                : meta.Merges ? MergeList(originalList ?? [], patchList, element, meta.MergeKey, isDeleteList: false)
                : patchList;
            patch.Remove(key);
            if (merged.Count == 0)
            {
                original[key] = merged;
                continue;
            }

            var itemsAreMaps = ElementsAreMaps(originalList ?? [], patchList ?? []);
            var orderKey = itemsAreMaps ? mergeKey : null;
            var (patchItems, serverOnly) = Partition(merged, order, orderKey);
            original[key] = NormalizeOrder(patchItems, serverOnly, order, originalList ?? [], orderKey);
        }
    }

    private static List<object?>? ListOrNull(Map map, string key)
    {
        if (!map.TryGetValue(key, out var value))
        {
            return null;
        }

        return value as List<object?> ?? throw BadArgType(SliceType, value);
    }

    /// <summary>
    /// Kubernetes' <c>validatePatchWithSetOrderList</c>: the patch's items (but deletions) appear in the
    /// <c>$setElementOrder</c> list, in its order.
    /// </summary>
    private static void ValidateOrder(List<object?> patchList, List<object?> order, string? mergeKey)
    {
        if (order.Count == 0 || patchList.Count == 0)
        {
            return;
        }

        var kept = mergeKey is null
            ? patchList
            : patchList.Where(item => !(item is Map map && DirectiveText(map.GetValueOrDefault(DirectiveMarker)) == "delete")).ToList();
        if (mergeKey is not null && patchList.FirstOrDefault(item => item is not Map) is { } notMap)
        {
            throw BadArgType(MapType, notMap);
        }

        int patchIndex = 0, orderIndex = 0;
        while (patchIndex < kept.Count && orderIndex < order.Count)
        {
            if (kept[patchIndex] is Map withDirective && withDirective.ContainsKey(DirectiveMarker))
            {
                patchIndex++;
                continue;
            }

            if (KeyOf(kept[patchIndex], mergeKey) == KeyOf(order[orderIndex], mergeKey))
            {
                patchIndex++;
            }

            orderIndex++;
        }

        if (patchIndex < kept.Count)
        {
            throw new PatchException(PatchErrorKind.InternalError,
                $"The order in patch list:\n{PlainJson.GoFormat(patchList)}\n doesn't match {SetElementOrderPrefix} list:\n{PlainJson.GoFormat(order)}\n");
        }
    }

    /// <summary>The identity of a list item: its merge key's value, or for a list of scalars the item itself.</summary>
    private static string KeyOf(object? item, string? mergeKey)
    {
        if (mergeKey is null)
        {
            return PlainJson.Key(item);
        }

        if (item is not Map map)
        {
            throw BadArgType(MapType, item);
        }

        return map.TryGetValue(mergeKey, out var key) ? PlainJson.Key(key) : throw NoMergeKey(map, mergeKey);
    }

    /// <summary>Kubernetes' <c>partitionMapsByPresentInList</c>/<c>partitionPrimitivesByPresentInList</c>.</summary>
    private static (List<object?> InPatch, List<object?> ServerOnly) Partition(List<object?> merged, List<object?> partitionBy, string? mergeKey)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in partitionBy)
        {
            if (mergeKey is null)
            {
                present.Add(PlainJson.Key(item));
            }
            else if (item is Map map && map.TryGetValue(mergeKey, out var key))
            {
                present.Add(PlainJson.Key(key));
            }
        }

        var inPatch = new List<object?>();
        var serverOnly = new List<object?>();
        foreach (var item in merged)
        {
            (present.Contains(KeyOf(item, mergeKey)) ? inPatch : serverOnly).Add(item);
        }

        return (inPatch, serverOnly);
    }

    /// <summary>
    /// Kubernetes' <c>normalizeElementOrder</c>: the patch's items in the patch's order, the server-only items in the
    /// object's order, merged so that a server-only item stays before the patch items it preceded in the object.
    /// </summary>
    private static List<object?> NormalizeOrder(List<object?> patchItems, List<object?> serverOnly, List<object?> patchOrder, List<object?> serverOrder, string? mergeKey)
    {
        if (mergeKey is not null)
        {
            foreach (var item in patchOrder)
            {
                KeyOf(item, mergeKey);
            }
        }

        var patchIndex = IndexOf(patchOrder, mergeKey);
        var serverIndex = IndexOf(serverOrder, mergeKey);
        var left = SortBy(serverOnly, serverIndex, mergeKey);
        var right = SortBy(patchItems, patchIndex, mergeKey);

        var result = new List<object?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            if (j >= right.Count)
            {
                result.Add(left[i++]);
            }
            else if (i >= left.Count)
            {
                result.Add(right[j++]);
            }
            else if (serverIndex.TryGetValue(KeyOf(left[i], mergeKey), out var li)
                && serverIndex.TryGetValue(KeyOf(right[j], mergeKey), out var ri) && li < ri)
            {
                result.Add(left[i++]);
            }
            else
            {
                result.Add(right[j++]);
            }
        }

        return result;
    }

    private static Dictionary<string, int> IndexOf(List<object?> order, string? mergeKey)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < order.Count; i++)
        {
            if (mergeKey is null || order[i] is Map map && map.ContainsKey(mergeKey))
            {
                index.TryAdd(KeyOf(order[i], mergeKey), i);
            }
        }

        return index;
    }

    /// <summary>Kubernetes' <c>normalizeSliceOrder</c>: a stable sort by position in the order list, items it lacks last.</summary>
    private static List<object?> SortBy(List<object?> items, Dictionary<string, int> order, string? mergeKey) =>
        items.Select((item, position) => (item, position, rank: order.TryGetValue(KeyOf(item, mergeKey), out var at) ? at : int.MaxValue))
            .OrderBy(e => e.rank).ThenBy(e => e.position)
            .Select(e => e.item)
            .ToList();
}
