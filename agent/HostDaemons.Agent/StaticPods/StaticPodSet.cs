using HostDaemons.Agent.Reconcile;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.StaticPods;

/// <summary>
/// The static pods this node runs from its manifest directory, already defaulted (name, namespace, node, uid,
/// annotations, tolerations), and the files that could not be used. The directory source replaces the whole set;
/// the reconciler runs it beside the assigned pods, and the control plane link mirrors it.
/// </summary>
internal sealed class StaticPodSet(ReconcileSignal signal)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<Pod> _pods = [];
    private IReadOnlyList<ManifestError> _errors = [];

    /// <summary>True once the directory has been read: only then may the agent stop static pod containers it does not know.</summary>
    public bool IsListed { get; private set; }

    /// <summary>Bumped on every change of the pods or the errors.</summary>
    public long Version { get; private set; }

    public IReadOnlyList<Pod> Current
    {
        get
        {
            lock (_lock)
            {
                return _pods;
            }
        }
    }

    public IReadOnlyList<ManifestError> Errors
    {
        get
        {
            lock (_lock)
            {
                return _errors;
            }
        }
    }

    /// <summary>Replaces the set after a read of the directory; a read that changed nothing changes nothing.</summary>
    public void Replace(IReadOnlyList<Pod> pods, IReadOnlyList<ManifestError> errors)
    {
        lock (_lock)
        {
            var first = !IsListed;
            IsListed = true;
            if (!first && pods.SequenceEqual(_pods) && errors.SequenceEqual(_errors))
            {
                return;
            }

            _pods = pods;
            _errors = errors;
            Version++;
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.Trigger();
    }

    /// <summary>Completes once <see cref="Version"/> differs from <paramref name="seen"/>.</summary>
    public Task WaitForChangeAsync(long seen, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Version != seen ? Task.CompletedTask : _changed.Task.WaitAsync(cancellationToken);
        }
    }
}
