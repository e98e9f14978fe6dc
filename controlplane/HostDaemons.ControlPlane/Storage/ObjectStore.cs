using System.Globalization;
using System.Threading.Channels;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Storage;

/// <summary>
/// The store: an in-memory cache in front of a durable backend. One writer task takes queued writes, checks their
/// preconditions against the latest state (including writes earlier in the same batch), commits the whole batch in
/// one durable transaction (group commit), then updates the cache, publishes the events and acknowledges. A commit that
/// fails fails its batch and the store goes on (a full disk heals); any other fault of the writer is a bug that would
/// leave every later write waiting, so it is logged as Critical, fails every waiting write and stops the host, which
/// systemd restarts from the durable state.
/// </summary>
internal sealed partial class ObjectStore : IObjectStore, IAsyncDisposable
{
    private const int MaxBatch = 1024;

    /// <summary>Changes kept for a subscriber resuming from a revision: no more than one subscription can hold.</summary>
    private const int EventHistory = StoreSubscription.Capacity;

    private readonly IStorageBackend _backend;
    private readonly TimeProvider _time;
    private readonly ILogger<ObjectStore> _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ObjectCache _cache;
    private readonly Channel<WriteOperation> _writes = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _eventLock = new();
    private readonly Queue<StoreEvent> _history = new();
    private readonly List<StoreSubscription> _subscribers = [];
    private readonly Task _writer;
    private long _revision;
    private volatile Exception? _fault;

    /// <summary>Loads the backend's state and starts the writer. <paramref name="detectMutations"/> checks that no reader changes a
    /// cached object in place (<see cref="CacheMutationDetector"/>); it is on in Debug builds and under
    /// <see cref="CacheMutationDetector.EnvironmentVariable"/> whatever this says.</summary>
    public ObjectStore(IStorageBackend backend, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ObjectStore> logger, bool detectMutations = false)
    {
        _backend = backend;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
        _cache = new ObjectCache(detectMutations || CacheMutationDetector.EnabledByDefault);
        var state = backend.Load();
        foreach (var row in state.Objects)
        {
            _cache.Set(Parse(row.Kind, row.Data!), previous: null);
        }

        _revision = state.Revision;
        Log.Loaded(_logger, state.Objects.Count, _revision);
        _writer = Task.Run(WriteLoopAsync);
    }

    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>Throws <see cref="CachedObjectMutatedException"/> when a cached object was changed in place (with the detector on).</summary>
    public void VerifyNoCachedObjectMutated() => _cache.VerifyUnchanged();

    public IKubeObject? Get(ObjectKey key) => _cache.Get(key);

    public T? Get<T>(string @namespace, string name)
        where T : class, IKubeObject<T> => _cache.Get(new ObjectKey(T.StaticKind, @namespace, name)) as T;

    public IReadOnlyList<T> List<T>(string? @namespace = null)
        where T : class, IKubeObject<T> => [.. List(T.StaticKind, @namespace).Cast<T>()];

    public IReadOnlyList<IKubeObject> List(ResourceKind kind, string? @namespace = null) =>
        [.. _cache.All(kind).Where(o => @namespace is null || o.Metadata.Namespace == @namespace)];

    public IReadOnlyList<Pod> PodsOnNode(string nodeName) => _cache.PodsOnNode(nodeName);

    public IReadOnlyList<Pod> PodsControlledBy(string ownerUid) => _cache.PodsControlledBy(ownerUid);

    public async Task<T> CreateAsync<T>(T value, CancellationToken cancellationToken)
        where T : class, IKubeObject<T>
    {
        var key = ObjectKey.Of(value);
        var result = await EnqueueAsync(key, current =>
        {
            if (current is not null)
            {
                throw new ObjectAlreadyExistsException(key);
            }

            var created = value.Clone();
            created.Metadata.Uid = created.Metadata.Uid.Length > 0 ? created.Metadata.Uid : Guid.NewGuid().ToString();
            created.Metadata.CreationTimestamp = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
            created.Metadata.Generation = 1;
            return Decision.Write(created);
        }, cancellationToken);
        return (T)result!;
    }

    public async Task<T> UpdateAsync<T>(T value, CancellationToken cancellationToken)
        where T : class, IKubeObject<T>
    {
        var key = ObjectKey.Of(value);
        var result = await EnqueueAsync(key, current =>
        {
            if (current is null)
            {
                throw new ObjectNotFoundException(key);
            }

            var expected = value.Metadata.ResourceVersion;
            if (expected.Length > 0 && expected != current.Metadata.ResourceVersion)
            {
                throw new ObjectConflictException(key, expected, current.Metadata.ResourceVersion);
            }

            var updated = value.Clone();
            KeepIdentity(updated, current);
            return Equals(WithoutVersion(updated), WithoutVersion(current)) ? Decision.Unchanged : Decision.Write(updated);
        }, cancellationToken);
        return (T)result!;
    }

    public async Task<T?> MutateAsync<T>(string @namespace, string name, Func<T, bool> mutate, CancellationToken cancellationToken)
        where T : class, IKubeObject<T> =>
        await MutateAsync(new ObjectKey(T.StaticKind, @namespace, name), o => mutate((T)o), cancellationToken) as T;

    public Task<IKubeObject?> MutateAsync(ObjectKey key, Func<IKubeObject, bool> mutate, CancellationToken cancellationToken) =>
        EnqueueAsync(key, current =>
        {
            if (current is null)
            {
                return Decision.Unchanged;
            }

            var copy = current.CloneObject();
            if (!mutate(copy))
            {
                return Decision.Unchanged;
            }

            KeepIdentity(copy, current);
            return Decision.Write(copy);
        }, cancellationToken);

    public async Task<T?> DeleteAsync<T>(string @namespace, string name, string? uid, CancellationToken cancellationToken)
        where T : class, IKubeObject<T> =>
        await DeleteAsync(new ObjectKey(T.StaticKind, @namespace, name), uid, cancellationToken) as T;

    public Task<IKubeObject?> DeleteAsync(ObjectKey key, string? uid, CancellationToken cancellationToken) =>
        EnqueueAsync(key, current => current is null || (uid is not null && current.Metadata.Uid != uid) ? Decision.NotApplied : Decision.Delete, cancellationToken);

    public (IReadOnlyList<IKubeObject> Snapshot, long Revision, StoreSubscription Subscription) SnapshotAndSubscribe(ResourceKind kind)
    {
        lock (_eventLock)
        {
            return (List(kind), Revision, Subscribe());
        }
    }

    public StoreSubscription Subscribe(long? afterRevision = null)
    {
        var subscription = new StoreSubscription(Unsubscribe);
        if (_fault is { } fault)
        {
            subscription.Complete(Stopped(fault));
            return subscription;
        }

        lock (_eventLock)
        {
            if (afterRevision is { } after && after < Revision)
            {
                var oldest = _history.Count > 0 ? _history.Peek().Revision : Revision + 1;
                if (after + 1 < oldest)
                {
                    throw new RevisionTooOldException(after, oldest);
                }

                foreach (var e in _history)
                {
                    if (e.Revision > after)
                    {
                        subscription.TryDeliver(e);
                    }
                }
            }

            _subscribers.Add(subscription);
        }

        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        lock (_eventLock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Complete();
            }

            _subscribers.Clear();
        }

        _backend.Dispose();
    }

    private void Unsubscribe(StoreSubscription subscription)
    {
        lock (_eventLock)
        {
            _subscribers.Remove(subscription);
        }
    }

    private Task<IKubeObject?> EnqueueAsync(ObjectKey key, Func<IKubeObject?, Decision> decide, CancellationToken cancellationToken)
    {
        var operation = new WriteOperation(key, decide, new TaskCompletionSource<IKubeObject?>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_writes.Writer.TryWrite(operation))
        {
            ObjectDisposedException.ThrowIf(_fault is null, this);
            throw Stopped(_fault);
        }

        // The write may still commit after a cancellation: the caller just stops waiting for it.
        return operation.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Staged>(MaxBatch);
        try
        {
            await WriteBatchesAsync(batch).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Fail(ex, batch);
        }
    }

    /// <summary>
    /// The writer met a fault it cannot reason about (a bug: the cache may be half-updated): no write may wait on it, no
    /// reader may trust it, and the process stops so that systemd starts it again from the durable state.
    /// </summary>
    private void Fail(Exception fault, List<Staged> batch)
    {
        Log.WriterFailed(_logger, fault);
        _fault = fault;
        _writes.Writer.TryComplete();
        var stopped = Stopped(fault);
        lock (_eventLock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Complete(stopped);
            }

            _subscribers.Clear();
        }

        Environment.ExitCode = 1;
        _lifetime.StopApplication();
        foreach (var staged in batch)
        {
            staged.Operation.Completion.TrySetException(stopped);
        }

        while (_writes.Reader.TryRead(out var waiting))
        {
            waiting.Completion.TrySetException(stopped);
        }
    }

    private static StoreUnavailableException Stopped(Exception fault) =>
        new("the store stopped after an unexpected fault and the control plane is restarting: " + fault.Message, fault);

    private async Task WriteBatchesAsync(List<Staged> batch)
    {
        var overlay = new Dictionary<ObjectKey, IKubeObject?>();
        while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            overlay.Clear();
            var revision = _revision;
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var operation))
            {
                var current = overlay.TryGetValue(operation.Key, out var staged) ? staged : _cache.Get(operation.Key);
                Decision decision;
                try
                {
                    decision = operation.Decide(current);
                }
                catch (Exception ex)
                {
                    operation.Completion.TrySetException(ex);
                    continue;
                }

                if (decision.Kind is DecisionKind.Unchanged or DecisionKind.NotApplied)
                {
                    operation.Completion.TrySetResult(decision.Kind == DecisionKind.Unchanged ? current : null);
                    continue;
                }

                revision++;
                if (decision.Kind == DecisionKind.Delete)
                {
                    overlay[operation.Key] = null;
                    batch.Add(new Staged(operation, null, current, revision));
                }
                else
                {
                    var value = decision.Value!;
                    value.Metadata.ResourceVersion = revision.ToString(CultureInfo.InvariantCulture);
                    overlay[operation.Key] = value;
                    batch.Add(new Staged(operation, value, current, revision));
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                _backend.Commit([.. batch.Select(ToStored)], revision);
            }
            catch (Exception ex)
            {
                Log.CommitFailed(_logger, batch.Count, ex);
                var failure = new StoreUnavailableException("the store could not write to disk: " + ex.Message, ex);
                foreach (var staged in batch)
                {
                    staged.Operation.Completion.TrySetException(failure);
                }

                continue;
            }

            Publish(batch, revision);
        }
    }

    private void Publish(List<Staged> batch, long revision)
    {
        lock (_eventLock)
        {
            foreach (var staged in batch)
            {
                StoreEvent e;
                if (staged.Value is null)
                {
                    _cache.Remove(staged.Previous!);
                    e = new StoreEvent(StoreEventType.Deleted, staged.Previous!, staged.Previous, staged.Revision);
                }
                else
                {
                    _cache.Set(staged.Value, staged.Previous);
                    e = new StoreEvent(staged.Previous is null ? StoreEventType.Added : StoreEventType.Modified, staged.Value, staged.Previous, staged.Revision);
                }

                _history.Enqueue(e);
                if (_history.Count > EventHistory)
                {
                    _history.Dequeue();
                }

                // A subscriber that falls a whole subscription behind is ended (it resumes with a snapshot) and dropped.
                _subscribers.RemoveAll(subscriber => !subscriber.TryDeliver(e));
            }

            Interlocked.Exchange(ref _revision, revision);
        }

        foreach (var staged in batch)
        {
            staged.Operation.Completion.TrySetResult(staged.Value ?? staged.Previous);
        }
    }

    private static StoredChange ToStored(Staged staged)
    {
        var key = staged.Operation.Key;
        return new StoredChange(key.Kind, key.Namespace, key.Name, staged.Revision, staged.Value?.ToByteArray());
    }

    /// <summary>Uid and creation time never change; generation counts spec changes, as Kubernetes counts them.</summary>
    private static void KeepIdentity(IKubeObject updated, IKubeObject current)
    {
        updated.Metadata.Uid = current.Metadata.Uid;
        updated.Metadata.CreationTimestamp = current.Metadata.CreationTimestamp;
        updated.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
        var specField = updated.Descriptor.FindFieldByName("spec");
        var specChanged = specField is not null && !Equals(specField.Accessor.GetValue(updated), specField.Accessor.GetValue(current));
        updated.Metadata.Generation = current.Metadata.Generation + (specChanged ? 1 : 0);
    }

    private static IKubeObject WithoutVersion(IKubeObject value)
    {
        var copy = value.CloneObject();
        copy.Metadata.ResourceVersion = "";
        return copy;
    }

    private static IKubeObject Parse(ResourceKind kind, byte[] data) =>
        ResourceKinds.All.FirstOrDefault(k => k.Kind == kind) is { } info
            ? (IKubeObject)info.Descriptor.Parser.ParseFrom(data)
            : throw new InvalidDataException($"unknown kind {kind} in the store");

    private enum DecisionKind
    {
        Write,
        Delete,

        /// <summary>Nothing to write: the caller gets the stored object.</summary>
        Unchanged,

        /// <summary>The precondition did not hold (or the object is gone): the caller gets null.</summary>
        NotApplied,
    }

    private readonly record struct Decision(DecisionKind Kind, IKubeObject? Value)
    {
        public static Decision Unchanged => new(DecisionKind.Unchanged, null);

        public static Decision Delete => new(DecisionKind.Delete, null);

        public static Decision NotApplied => new(DecisionKind.NotApplied, null);

        public static Decision Write(IKubeObject value) => new(DecisionKind.Write, value);
    }

    private sealed record WriteOperation(ObjectKey Key, Func<IKubeObject?, Decision> Decide, TaskCompletionSource<IKubeObject?> Completion);

    private sealed record Staged(WriteOperation Operation, IKubeObject? Value, IKubeObject? Previous, long Revision);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Store loaded {Count} objects at revision {Revision}")]
        public static partial void Loaded(ILogger logger, int count, long revision);

        [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Store commit of {Count} changes failed; none were applied")]
        public static partial void CommitFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(EventId = 3, Level = LogLevel.Critical, Message = "The store's writer failed unexpectedly; every waiting write fails and the control plane stops to be restarted from disk")]
        public static partial void WriterFailed(ILogger logger, Exception exception);
    }
}
