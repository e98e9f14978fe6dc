namespace HostDaemons.Model.Patching;

/// <summary>Kubernetes' <c>+listType</c> marker: how server-side apply owns a list (and how the OpenAPI document publishes it as <c>x-kubernetes-list-type</c>).</summary>
public enum ListType
{
    /// <summary>The list is one value: whoever sets it owns all of it, and a patch replaces it whole.</summary>
    Atomic,

    /// <summary>A list of distinct scalars, each item owned on its own.</summary>
    Set,

    /// <summary>A list of objects identified by the <see cref="FieldPatchMeta.ListMapKeys"/>, each item owned on its own.</summary>
    Map,
}
