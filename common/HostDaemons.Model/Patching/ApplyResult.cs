using System.Text.Json.Nodes;

namespace HostDaemons.Model.Patching;

/// <summary>The object an apply produces (without managedFields) and its new managedFields.</summary>
public sealed record ApplyResult(JsonObject Object, IReadOnlyList<ManagedFieldsEntry> ManagedFields);
