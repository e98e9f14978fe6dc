using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Objects;

/// <summary>The field paths of the downward API (env <c>fieldRef</c>, downwardAPI files) as Kubernetes reads them.</summary>
public static class DownwardApiPaths
{
    /// <summary>
    /// <c>metadata.labels['app']</c> as its field and key (Kubernetes' fieldpath.SplitMaybeSubscriptedPath), or null for a
    /// path without a subscript.
    /// </summary>
    public static (string Field, string Key)? SplitSubscript(string fieldPath)
    {
        ArgumentNullException.ThrowIfNull(fieldPath);
        if (!fieldPath.EndsWith("']", StringComparison.Ordinal))
        {
            return null;
        }

        var open = fieldPath.IndexOf("['", StringComparison.Ordinal);
        return open <= 0 || open + 2 > fieldPath.Length - 2 ? null : (fieldPath[..open], fieldPath[(open + 2)..^2]);
    }

    /// <summary>
    /// Kubernetes' fieldpath.ExtractFieldPathAsString over an object's metadata, as the kubelet and kubectl read it: name,
    /// namespace, uid, labels and annotations whole (<see cref="FormatMap"/>) or one by <c>['key']</c> (empty when absent).
    /// </summary>
    /// <returns>False for any other path.</returns>
    public static bool TryMetadataValue(ObjectMeta meta, string fieldPath, out string value)
    {
        ArgumentNullException.ThrowIfNull(meta);
        if (SplitSubscript(fieldPath) is var (field, key))
        {
            IDictionary<string, string>? map = field switch
            {
                "metadata.labels" => meta.Labels,
                "metadata.annotations" => meta.Annotations,
                _ => null,
            };
            value = map is not null && map.TryGetValue(key, out var found) ? found : "";
            return map is not null;
        }

        string? result = fieldPath switch
        {
            "metadata.name" => meta.Name,
            "metadata.namespace" => meta.Namespace,
            "metadata.uid" => meta.Uid,
            "metadata.labels" => FormatMap(meta.Labels),
            "metadata.annotations" => FormatMap(meta.Annotations),
            _ => null,
        };
        value = result ?? "";
        return result is not null;
    }

    /// <summary>Kubernetes' fieldpath.FormatMap: one <c>key="value"</c> line per entry, sorted by key, values quoted as Go's %q.</summary>
    public static string FormatMap(IEnumerable<KeyValuePair<string, string>> map) =>
        string.Join('\n', map.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + GoStrings.Quote(e.Value)));
}
