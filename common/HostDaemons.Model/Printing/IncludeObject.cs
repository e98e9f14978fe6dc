namespace HostDaemons.Model.Printing;

/// <summary>What each row of a Table carries in <c>object</c> (the <c>includeObject</c> query parameter).</summary>
public enum IncludeObject
{
    /// <summary><c>object</c> is null.</summary>
    None,

    /// <summary>A <c>PartialObjectMetadata</c> with the object's metadata: the server's default.</summary>
    Metadata,

    /// <summary>The whole object.</summary>
    Object,
}

public static class IncludeObjects
{
    /// <summary>Reads <c>includeObject</c>: <c>None</c>, <c>Metadata</c> (also when absent or empty) or <c>Object</c>, case as Kubernetes spells them.</summary>
    public static bool TryParse(string? value, out IncludeObject include)
    {
        (var known, include) = value switch
        {
            null or "" or "Metadata" => (true, IncludeObject.Metadata),
            "None" => (true, IncludeObject.None),
            "Object" => (true, IncludeObject.Object),
            _ => (false, IncludeObject.Metadata),
        };
        return known;
    }

    /// <summary>kube-apiserver's BadRequest message for a value <see cref="TryParse"/> refuses.</summary>
    public static string UnrecognizedMessage(string value) => $"unrecognized includeObject value: \"{value}\"";
}
