using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>
/// A storage backend kept in a dictionary. It can be told to fail commits, and to hold a commit until released so a
/// test can queue writes behind it (group commit).
/// </summary>
internal sealed class InMemoryStorageBackend : IStorageBackend
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(ResourceKind Kind, string Namespace, string Name), StoredChange> _objects = [];
    private readonly List<int> _batchSizes = [];
    private long _revision;
    private TaskCompletionSource? _commitEntered;
    private ManualResetEventSlim? _gate;

    public InMemoryStorageBackend(long revision = 0, IEnumerable<StoredChange>? objects = null)
    {
        _revision = revision;
        foreach (var change in objects ?? [])
        {
            _objects[(change.Kind, change.Namespace, change.Name)] = change;
        }
    }

    /// <summary>When set, Commit throws an <see cref="IOException"/> and changes nothing.</summary>
    public bool FailCommits { get; set; }

    public bool IsDisposed { get; private set; }

    public long CommittedRevision
    {
        get
        {
            lock (_lock)
            {
                return _revision;
            }
        }
    }

    public IReadOnlyList<int> BatchSizes
    {
        get
        {
            lock (_lock)
            {
                return [.. _batchSizes];
            }
        }
    }

    public int ObjectCount
    {
        get
        {
            lock (_lock)
            {
                return _objects.Count;
            }
        }
    }

    /// <summary>Makes the next commits wait until <see cref="ReleaseCommits"/>; the task completes when one is waiting.</summary>
    public Task HoldCommits()
    {
        lock (_lock)
        {
            _commitEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _gate = new ManualResetEventSlim(false);
            return _commitEntered.Task;
        }
    }

    public void ReleaseCommits()
    {
        ManualResetEventSlim? gate;
        lock (_lock)
        {
            gate = _gate;
            _gate = null;
            _commitEntered = null;
        }

        gate?.Set();
    }

    public StoredState Load()
    {
        lock (_lock)
        {
            return new StoredState(_revision, [.. _objects.Values]);
        }
    }

    public void Commit(IReadOnlyList<StoredChange> changes, long revision)
    {
        ManualResetEventSlim? gate;
        lock (_lock)
        {
            gate = _gate;
            _commitEntered?.TrySetResult();
        }

        if (gate is not null && !gate.Wait(AsyncTestHelpers.DefaultTimeoutDuration))
        {
            throw new TimeoutException("the test never released the held commit");
        }

        lock (_lock)
        {
            if (FailCommits)
            {
                throw new IOException("disk I/O error (injected by the test)");
            }

            foreach (var change in changes)
            {
                var key = (change.Kind, change.Namespace, change.Name);
                if (change.Data is null)
                {
                    _objects.Remove(key);
                }
                else
                {
                    _objects[key] = change;
                }
            }

            _revision = revision;
            _batchSizes.Add(changes.Count);
        }
    }

    public void Dispose() => IsDisposed = true;
}
