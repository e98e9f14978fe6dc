using Google.Protobuf.Reflection;

namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>
/// What Kubernetes declares on a list field: the strategic merge patch strategy (<c>merge</c>, <c>merge,retainKeys</c>,
/// null for a list a patch replaces) and merge key, and the server-side apply list type (<c>atomic</c>, <c>set</c>,
/// <c>map</c>) with the keys of a map list. Published as x-kubernetes-patch-strategy, x-kubernetes-patch-merge-key,
/// x-kubernetes-list-type and x-kubernetes-list-map-keys.
/// </summary>
internal sealed record PatchMetadata(string? Strategy, string? MergeKey, string? ListType = null, IReadOnlyList<string>? ListMapKeys = null);

/// <summary>Looks up the patch metadata of a field of HostDaemons' messages; null when the field has none.</summary>
internal delegate PatchMetadata? PatchMetadataLookup(FieldDescriptor field);
