using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;

namespace HostDaemons.Model.Patching;

/// <summary>
/// The core of Kubernetes' server-side apply as pure functions over JSON trees (structured-merge-diff's
/// <c>Updater.Apply</c> and <c>Updater.Update</c>), with the list semantics of <see cref="PatchStrategies"/>.
/// The objects passed in are the live and new objects without <c>metadata.managedFields</c> (those come in and go out
/// as <see cref="ManagedFieldsEntry"/> lists). On the main resource <c>status</c> is nobody's: it is left out of every
/// set and comparison, as Kubernetes resets it there; on the <c>status</c> subresource only <c>status</c> is owned. <c>apiVersion</c>, <c>kind</c> and the server-set metadata
/// (name, namespace, uid, resourceVersion, generation, creationTimestamp...) are never owned.
/// </summary>
public static class ServerSideApply
{
    private static readonly IReadOnlyList<IReadOnlyList<string>> NeverOwned =
    [
        ["f:apiVersion"], ["f:kind"], ["f:metadata"],
        ["f:metadata", "f:name"], ["f:metadata", "f:namespace"], ["f:metadata", "f:creationTimestamp"],
        ["f:metadata", "f:selfLink"], ["f:metadata", "f:uid"], ["f:metadata", "f:clusterName"],
        ["f:metadata", "f:generation"], ["f:metadata", "f:managedFields"], ["f:metadata", "f:resourceVersion"],
    ];

    /// <summary>
    /// Applies <paramref name="config"/> (an applied configuration) for <paramref name="manager"/>: the live object with
    /// the configuration merged in, minus the fields the manager applied last time and no longer applies when no one
    /// else owns them; the manager's <c>Apply</c> entry becomes exactly the configuration's fields.
    /// </summary>
    /// <exception cref="ApplyConflictException">Without <paramref name="force"/>, the apply changes fields other managers own.</exception>
    public static ApplyResult Apply(JsonObject live, JsonObject config, MessageDescriptor descriptor, IReadOnlyList<ManagedFieldsEntry> managedFields,
        string manager, string apiVersion, bool force, DateTimeOffset now, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(managedFields);
        var schema = PatchSchema.ForMessage(descriptor, PatchStrategies.For);
        var previous = managedFields.FirstOrDefault(e => e.SameManagerAs(manager, ManagedFieldsEntry.ApplyOperation, apiVersion, subresource));
        var others = managedFields.Where(e => !ReferenceEquals(e, previous)).ToList();
        var applied = Owned(ServerSideApplyPaths.Of(config, schema), subresource);

        var merged = (JsonObject)ServerSideApplyMerge.Merge(live, config, schema, FieldPatchMeta.Atomic)!;
        if (previous is not null)
        {
            var owned = others.Aggregate(applied, (set, entry) => set.Union(entry.Fields));
            ServerSideApplyMerge.Prune(merged, previous.Fields, owned, schema, FieldPatchMeta.Atomic, []);
        }

        var (added, modified, removed) = Compare(live, merged, schema, subresource);
        var changed = added.Union(modified);
        var conflicts = others
            .Select(entry => (Entry: entry, Set: entry.Fields.Intersection(changed)))
            .Where(c => !c.Set.IsEmpty)
            .OrderBy(c => c.Entry.Display, StringComparer.Ordinal)
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw new ApplyConflictException(conflicts
                .SelectMany(c => c.Set.Paths().Select(path => new ApplyConflict(c.Entry.Display, ServerSideApplyPaths.Display(path))))
                .ToList());
        }

        var entries = others.Select(entry => entry with { Fields = entry.Fields.Difference(changed).Difference(removed) }).ToList();
        var unchanged = previous is not null && previous.ApiVersion == apiVersion && SameSet(previous.Fields, applied);
        entries.Add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.ApplyOperation, apiVersion, unchanged ? previous!.Time : now, applied, subresource));
        return new ApplyResult(merged, Sorted(entries));
    }

    /// <summary>
    /// The managed fields after <paramref name="manager"/> changed <paramref name="live"/> into <paramref name="updated"/>
    /// with a create, update or patch: the manager's <c>Update</c> entry gains every field it added or changed (taken
    /// from whoever owned it) and loses the removed ones, which every other manager loses too.
    /// </summary>
    public static IReadOnlyList<ManagedFieldsEntry> Update(JsonObject? live, JsonObject updated, MessageDescriptor descriptor, IReadOnlyList<ManagedFieldsEntry> managedFields,
        string manager, string apiVersion, DateTimeOffset now, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(managedFields);
        var schema = PatchSchema.ForMessage(descriptor, PatchStrategies.For);
        var previous = managedFields.FirstOrDefault(e => e.SameManagerAs(manager, ManagedFieldsEntry.UpdateOperation, apiVersion, subresource));
        var (added, modified, removed) = Compare(live ?? [], updated, schema, subresource);
        var changed = added.Union(modified);

        var entries = managedFields.Where(e => !ReferenceEquals(e, previous))
            .Select(entry => entry with { Fields = entry.Fields.Difference(changed).Difference(removed) })
            .ToList();
        var fields = (previous?.Fields ?? new FieldSet()).Difference(removed).Union(changed);
        var unchanged = previous is not null && SameSet(previous.Fields, fields);
        entries.Add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.UpdateOperation, apiVersion, unchanged ? previous!.Time : now, fields, subresource));
        return Sorted(entries);
    }

    /// <summary>The fields of an object, as an applied configuration's would be owned (for dry runs and tests).</summary>
    public static FieldSet FieldsOf(JsonObject obj, MessageDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(descriptor);
        return Owned(ServerSideApplyPaths.Of(obj, PatchSchema.ForMessage(descriptor, PatchStrategies.For)));
    }

    private static (FieldSet Added, FieldSet Modified, FieldSet Removed) Compare(JsonObject before, JsonObject after, PatchSchema schema, string? subresource)
    {
        var (added, modified, removed) = ServerSideApplyPaths.Compare(before, after, schema);
        return (Owned(added, subresource), Owned(modified, subresource), Owned(removed, subresource));
    }

    /// <summary>A set without what no manager owns: the server-set metadata and, on the main resource, status.</summary>
    private static FieldSet Owned(FieldSet set, string? subresource = null) => subresource == "status"
        ? set.OnlyChild("f:status")
        : set.WithoutChild("f:status").Without(NeverOwned);

    private static bool SameSet(FieldSet left, FieldSet right) => left.Difference(right).IsEmpty && right.Difference(left).IsEmpty;

    /// <summary>Kubernetes' order of managedFields (Apply before Update, then by time, manager, version, subresource), without empty entries.</summary>
    private static IReadOnlyList<ManagedFieldsEntry> Sorted(IEnumerable<ManagedFieldsEntry> entries) =>
        entries.Where(e => !e.Fields.IsEmpty)
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time?.ToUnixTimeSeconds() ?? 0)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? "", StringComparer.Ordinal)
            .ToList();
}
