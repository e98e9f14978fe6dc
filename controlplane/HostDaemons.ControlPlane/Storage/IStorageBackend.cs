using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Storage;

/// <summary>Where committed objects are kept: SQLite by default. Writes arrive in batches, each one transaction.</summary>
internal interface IStorageBackend : IDisposable
{
    StoredState Load();

    /// <summary>Durably writes a batch; returns only once it survives a crash. Throws and changes nothing on failure.</summary>
    void Commit(IReadOnlyList<StoredChange> changes, long revision);
}

/// <summary>The object bytes are the protobuf encoding of the kind's message; null bytes delete.</summary>
internal sealed record StoredChange(ResourceKind Kind, string Namespace, string Name, long Revision, byte[]? Data);

internal sealed record StoredState(long Revision, IReadOnlyList<StoredChange> Objects);
