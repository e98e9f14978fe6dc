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
}
