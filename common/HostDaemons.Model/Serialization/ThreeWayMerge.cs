using System.Text.Json.Nodes;

namespace HostDaemons.Model.Serialization;

/// <summary>
/// kubectl apply's three-way merge, over JSON trees: the new state of an object from the configuration applied last
/// time (<c>original</c>), the configuration applied now (<c>modified</c>) and the live object (<c>current</c>), with
/// the semantics of Kubernetes' strategic merge patch for the fields HostDaemons has.
/// <list type="bullet">
/// <item>A field the modified configuration sets is set; a field the original had and the modified one no longer has
/// is removed; a field in neither (set by someone else: a label added with <c>hdctl label</c>, a default) stays.</item>
/// <item>Objects and maps (labels, annotations, nodeSelector, resources) merge key by key, recursively.</item>
/// <item>Lists with a merge key (<see cref="MergeKey"/>) merge item by item: an item matched by its key is merged
/// recursively, an item only the live object has stays where it was, an item the original had and the modified list
/// does not is removed; the modified list sets the order of its items. Every other list is replaced.</item>
/// <item>Items of a <c>retainKeys</c> list (<c>volumes</c>, whose source is a union) keep only the keys the modified
/// item has, so switching a volume from hostPath to emptyDir drops the hostPath.</item>
/// </list>
/// The inputs are never changed.
/// </summary>
public static class ThreeWayMerge
{
    /// <summary>The new state of <paramref name="current"/>. <paramref name="original"/> is null when nothing was applied before: then nothing is removed.</summary>
    public static JsonObject Merge(JsonObject? original, JsonObject modified, JsonObject current) =>
        MergeObject(original, modified, current);

    /// <summary>
    /// The merge key of a list field, as Kubernetes' <c>patchMergeKey</c> tags declare it, or null for a list that is
    /// replaced as a whole (<c>command</c>, <c>args</c>, <c>tolerations</c>, <c>matchExpressions</c>, <c>rules</c>,
    /// <c>subjects</c>...). The field's name is enough to know its strategy: <c>ports</c>, the one name two fields share,
    /// holds a container's ports (every item has the required <c>containerPort</c>) or a Service's (<c>port</c>), so its
    /// key is the one every applied item has.
    /// </summary>
    public static string? MergeKey(string listField, JsonArray items)
    {
        ArgumentNullException.ThrowIfNull(items);
        string[] candidates = listField switch
        {
            "containers" or "initContainers" or "volumes" or "env" or "imagePullSecrets" or "secrets" => ["name"],
            "volumeMounts" => ["mountPath"],
            "ports" => ["containerPort", "port"],
            "ownerReferences" => ["uid"],
            _ => [],
        };
        return candidates.FirstOrDefault(key => items.All(item => KeyOf(item, key) is not null));
    }

    /// <summary>Whether the items of a merged list keep only the keys the applied item has (Kubernetes' <c>retainKeys</c>).</summary>
    public static bool RetainsKeys(string listField) => listField == "volumes";

    private static JsonObject MergeObject(JsonObject? original, JsonObject modified, JsonObject current)
    {
        var result = (JsonObject)current.DeepClone();
        foreach (var (key, value) in modified)
        {
            if (value is null)
            {
                // null in an applied configuration means "delete", as in a merge patch.
                result.Remove(key);
                continue;
            }

            result[key] = MergeValue(key, original?[key], value, current[key]);
        }

        if (original is not null)
        {
            foreach (var (key, _) in original)
            {
                if (!modified.ContainsKey(key))
                {
                    result.Remove(key);
                }
            }
        }

        return result;
    }

    private static JsonNode MergeValue(string field, JsonNode? original, JsonNode modified, JsonNode? current)
    {
        if (modified is JsonObject modifiedObject && current is JsonObject currentObject)
        {
            return MergeObject(original as JsonObject, modifiedObject, currentObject);
        }

        if (modified is JsonArray modifiedList && current is JsonArray currentList && MergeKey(field, modifiedList) is { } mergeKey)
        {
            return MergeList(field, mergeKey, original as JsonArray, modifiedList, currentList);
        }

        return modified.DeepClone();
    }

    private static JsonArray MergeList(string field, string mergeKey, JsonArray? original, JsonArray modified, JsonArray current)
    {
        var originalItems = ByKey(original, mergeKey);
        var currentItems = ByKey(current, mergeKey);
        var currentOrder = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < current.Count; i++)
        {
            if (KeyOf(current[i], mergeKey) is { } key)
            {
                currentOrder.TryAdd(key, i);
            }
        }

        var applied = new List<(string Key, JsonNode Item)>();
        var appliedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in modified)
        {
            var key = KeyOf(item, mergeKey)!;
            if (!appliedKeys.Add(key))
            {
                continue;
            }

            JsonNode merged = item is JsonObject modifiedItem && currentItems.GetValueOrDefault(key) is JsonObject currentItem
                ? MergeObject(originalItems.GetValueOrDefault(key) as JsonObject, modifiedItem, currentItem)
                : item!.DeepClone();
            if (RetainsKeys(field) && merged is JsonObject mergedObject && item is JsonObject appliedItem)
            {
                foreach (var extra in mergedObject.Select(p => p.Key).Where(k => !appliedItem.ContainsKey(k)).ToList())
                {
                    mergedObject.Remove(extra);
                }
            }

            applied.Add((key, merged));
        }

        // Items only the live object has (added by someone else) stay; items the last applied configuration had and
        // this one does not are removed.
        var serverOnly = new List<(string? Key, JsonNode? Item)>();
        foreach (var item in current)
        {
            var key = KeyOf(item, mergeKey);
            if (key is null || (!appliedKeys.Contains(key) && !originalItems.ContainsKey(key)))
            {
                serverOnly.Add((key, item?.DeepClone()));
            }
        }

        return Interleave(serverOnly, applied, currentOrder);
    }

    /// <summary>
    /// Kubernetes' order for a merged list (<c>mergeSortedSlice</c>): the applied items in their applied order, and
    /// the live-only items where they were relative to the applied items the live list also has.
    /// </summary>
    private static JsonArray Interleave(List<(string? Key, JsonNode? Item)> serverOnly, List<(string Key, JsonNode Item)> applied, Dictionary<string, int> currentOrder)
    {
        var result = new JsonArray();
        int i = 0, j = 0;
        while (i < serverOnly.Count || j < applied.Count)
        {
            if (j >= applied.Count)
            {
                result.Add(serverOnly[i++].Item);
            }
            else if (i >= serverOnly.Count)
            {
                result.Add(applied[j++].Item);
            }
            else if (serverOnly[i].Key is { } left && currentOrder.TryGetValue(left, out var leftIndex)
                && currentOrder.TryGetValue(applied[j].Key, out var rightIndex) && leftIndex < rightIndex)
            {
                result.Add(serverOnly[i++].Item);
            }
            else
            {
                result.Add(applied[j++].Item);
            }
        }

        return result;
    }

    private static Dictionary<string, JsonNode?> ByKey(JsonArray? list, string mergeKey)
    {
        var items = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var item in list ?? [])
        {
            if (KeyOf(item, mergeKey) is { } key)
            {
                items.TryAdd(key, item);
            }
        }

        return items;
    }

    /// <summary>The item's merge key as JSON text (a name or a port number), or null when it has none.</summary>
    private static string? KeyOf(JsonNode? item, string mergeKey) =>
        item is JsonObject obj && obj[mergeKey] is JsonValue value ? value.ToJsonString() : null;
}
