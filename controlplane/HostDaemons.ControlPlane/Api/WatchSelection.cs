using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// What a list or watch selects: a kind, a namespace (null: all), a name (empty: any), labels and fields. For a watch,
/// as Kubernetes' watch cache: an object entering the selection is ADDED, one leaving it DELETED. Both front doors
/// (hdctl's Watch, the REST watch) select with this.
/// </summary>
internal sealed record WatchSelection(ResourceKind Kind, string? Namespace, string Name, LabelQuery Labels, FieldSelector Fields)
{
    public bool Contains(IKubeObject value) =>
        value.ResourceKind == Kind
        && (Namespace is null || value.Metadata.Namespace == Namespace)
        && (Name.Length == 0 || value.Metadata.Name == Name)
        && Labels.Matches(value.Metadata.Labels)
        && FieldLabels.Matches(Fields, value);

    /// <summary>The watch event type of a store event for this selection; null when the watcher is not told.</summary>
    public string? TypeOf(StoreEvent e)
    {
        var matches = Contains(e.Object);
        var matched = e.Type == StoreEventType.Modified && e.Previous is not null && Contains(e.Previous);
        return (e.Type, matches, matched) switch
        {
            (StoreEventType.Added, true, _) => "ADDED",
            (StoreEventType.Deleted, true, _) => "DELETED",
            (StoreEventType.Modified, true, true) => "MODIFIED",
            (StoreEventType.Modified, true, false) => "ADDED",
            (StoreEventType.Modified, false, true) => "DELETED",
            _ => null,
        };
    }
}
