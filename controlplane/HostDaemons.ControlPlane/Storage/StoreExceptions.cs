namespace HostDaemons.ControlPlane.Storage;

/// <summary>Base of the store's expected failures; the API maps each to a gRPC status.</summary>
internal abstract class StoreException(string message, Exception? inner = null) : Exception(message, inner);

internal sealed class ObjectNotFoundException(ObjectKey key)
    : StoreException($"{key} not found")
{
    public ObjectKey Key { get; } = key;
}

internal sealed class ObjectAlreadyExistsException(ObjectKey key)
    : StoreException($"{key} already exists")
{
    public ObjectKey Key { get; } = key;
}

/// <summary>The object changed since the version the caller read (optimistic concurrency).</summary>
internal sealed class ObjectConflictException(ObjectKey key, string expected, string actual)
    : StoreException($"Operation cannot be fulfilled on {key}: the object has been modified; please apply your changes to the latest version and try again (expected version {expected}, stored {actual})")
{
    public ObjectKey Key { get; } = key;
}

/// <summary>A watch asked to resume from a revision older than the store still remembers.</summary>
internal sealed class RevisionTooOldException(long requested, long oldest)
    : StoreException($"too old resource version: {requested} ({oldest})");

/// <summary>The durable backend failed; nothing of the failed batch was applied.</summary>
internal sealed class StoreUnavailableException(string message, Exception? inner = null)
    : StoreException(message, inner);

/// <summary>A subscriber fell <see cref="StoreSubscription.Capacity"/> changes behind: its feed ended, and it resumes with a snapshot.</summary>
internal sealed class SubscriptionOverflowException()
    : StoreException($"the watcher fell more than {StoreSubscription.Capacity} changes behind and was ended; list again to resume with a snapshot");
