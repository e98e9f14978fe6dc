using Google.Protobuf.Reflection;

namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>A field's strategic merge patch metadata: <c>merge</c>, <c>replace</c>, <c>merge,retainKeys</c>; the list's merge key.</summary>
internal readonly record struct PatchMetadata(string? Strategy, string? MergeKey);

/// <summary>Looks up the patch metadata of a field of HostDaemons' messages; null when the field has none.</summary>
internal delegate PatchMetadata? PatchMetadataLookup(FieldDescriptor field);
