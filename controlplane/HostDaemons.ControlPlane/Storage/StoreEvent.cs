using HostDaemons.Model.Objects;

namespace HostDaemons.ControlPlane.Storage;

internal enum StoreEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>A committed change. <see cref="Object"/> is the new state, or the last state for a deletion.</summary>
internal sealed record StoreEvent(StoreEventType Type, IKubeObject Object, IKubeObject? Previous, long Revision);
