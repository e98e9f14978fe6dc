namespace HostDaemons.Model.Patching;

/// <summary>
/// The patch metadata Kubernetes declares on one list field of its types: the <c>patchStrategy</c> and
/// <c>patchMergeKey</c> struct tags strategic merge patch reads, and the <c>+listType</c>/<c>+listMapKey</c> markers
/// server-side apply reads. <paramref name="Strategy"/> is the tag's text (<c>merge</c>, <c>merge,retainKeys</c>) or
/// null for a list a strategic merge patch replaces.
/// </summary>
public sealed record FieldPatchMeta(string? Strategy, string? MergeKey, ListType ListType, IReadOnlyList<string> ListMapKeys)
{
    /// <summary>Whether a strategic merge patch merges the list (by <see cref="MergeKey"/>, or as a union of scalars) instead of replacing it.</summary>
    public bool Merges => HasStrategy("merge");

    /// <summary>Whether a patch item carrying <c>$retainKeys</c> is expected (the list's items hold a union, like a volume's source).</summary>
    public bool RetainsKeys => HasStrategy("retainKeys");

    internal static FieldPatchMeta Atomic { get; } = new(null, null, ListType.Atomic, []);

    private bool HasStrategy(string name) =>
        Strategy is not null && Strategy.Split(',').Contains(name, StringComparer.Ordinal);
}
