namespace HostDaemons.Model.Patching;

/// <summary>
/// The bounds every patch is checked against before any work, so a patch costs at most linear time and memory in
/// these numbers. The request body's byte size is the front door's to cap (Kubernetes: 3 MiB).
/// </summary>
public static class PatchLimits
{
    /// <summary>The deepest nesting of objects and lists accepted in an object or a patch (a pod spec needs about 12).</summary>
    public const int MaxDepth = 100;

    /// <summary>The most JSON values (objects, lists and scalars) accepted in an object or a patch.</summary>
    public const int MaxNodes = 1_000_000;

    /// <summary>Kubernetes' cap on the operations of one JSON patch (<c>maxJSONPatchOperations</c>).</summary>
    public const int MaxJsonPatchOperations = 10_000;
}
