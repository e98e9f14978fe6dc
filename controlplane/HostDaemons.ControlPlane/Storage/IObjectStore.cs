using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Storage;

/// <summary>
/// The control plane's state: reads come from memory, writes are durable before they are acknowledged, and every
/// committed change gets the next revision and is published to subscribers in order. Returned objects are shared:
/// never change them in place; clone, change, and write.
/// </summary>
internal interface IObjectStore
{
    /// <summary>The revision of the last committed change.</summary>
    long Revision { get; }

    IKubeObject? Get(ObjectKey key);

    T? Get<T>(string @namespace, string name)
        where T : class, IKubeObject<T>;

    /// <summary>Every object of the kind, in one namespace or (null) all of them.</summary>
    IReadOnlyList<T> List<T>(string? @namespace = null)
        where T : class, IKubeObject<T>;

    IReadOnlyList<IKubeObject> List(ResourceKind kind, string? @namespace = null);

    IReadOnlyList<Pod> PodsOnNode(string nodeName);

    IReadOnlyList<Pod> PodsControlledBy(string ownerUid);

    /// <summary>Creates the object, giving it a uid, creation time, generation 1 and a resource version.</summary>
    Task<T> CreateAsync<T>(T value, CancellationToken cancellationToken)
        where T : class, IKubeObject<T>;

    /// <summary>Replaces the object. A non-empty resource version must equal the stored one.</summary>
    Task<T> UpdateAsync<T>(T value, CancellationToken cancellationToken)
        where T : class, IKubeObject<T>;

    /// <summary>
    /// Changes the latest stored version in place of a read-modify-write: <paramref name="mutate"/> gets a copy and
    /// returns false when there is nothing to change. Returns the stored object, or null when it does not exist.
    /// </summary>
    Task<T?> MutateAsync<T>(string @namespace, string name, Func<T, bool> mutate, CancellationToken cancellationToken)
        where T : class, IKubeObject<T>;

    /// <summary><see cref="MutateAsync{T}"/> for an object of any kind.</summary>
    Task<IKubeObject?> MutateAsync(ObjectKey key, Func<IKubeObject, bool> mutate, CancellationToken cancellationToken);

    /// <summary>Deletes the object (only if its uid matches, when given) and returns its last state; null when nothing was deleted.</summary>
    Task<T?> DeleteAsync<T>(string @namespace, string name, string? uid, CancellationToken cancellationToken)
        where T : class, IKubeObject<T>;

    /// <summary><see cref="DeleteAsync{T}"/> for an object of any kind.</summary>
    Task<IKubeObject?> DeleteAsync(ObjectKey key, string? uid, CancellationToken cancellationToken);

    /// <summary>
    /// Changes committed after <paramref name="afterRevision"/> (null: from now on), in order. Throws
    /// <see cref="RevisionTooOldException"/> when the store no longer holds them.
    /// </summary>
    StoreSubscription Subscribe(long? afterRevision = null);

    /// <summary>Every object of the kind and a feed of the changes after exactly that state, taken atomically.</summary>
    (IReadOnlyList<IKubeObject> Snapshot, long Revision, StoreSubscription Subscription) SnapshotAndSubscribe(ResourceKind kind);
}
