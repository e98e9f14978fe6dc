using System.Runtime.CompilerServices;
using System.Threading.Channels;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Hosting;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Nodes;

/// <summary>
/// The pods assigned to each node, kept per node and streamed to its agent: a snapshot on connect, then only the
/// changes an agent acts on (status writes are not echoed back). Each node keeps a short log of recent changes so a
/// reconnecting agent gets just what it missed; otherwise it gets a fresh snapshot. An apply that touches a few
/// nodes costs work on those nodes only, however many agents are connected.
/// </summary>
internal sealed partial class NodeAssignmentHub(IObjectStore store, IHostApplicationLifetime lifetime, ILogger<NodeAssignmentHub> logger)
    : SupervisedBackgroundService(lifetime, logger)
{

    private const int LogLength = 128;

    /// <summary>Changes a watcher may fall behind by; past that its stream ends and the agent resumes or re-lists.</summary>
    private const int WatcherBuffer = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, NodeAssignments> _nodes = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _revision;

    /// <summary>Streams the node's assignments, resuming after <paramref name="resumeRevision"/> when it can.</summary>
    public async IAsyncEnumerable<WatchPodsResponse> WatchAsync(string nodeName, long resumeRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var watcher = Channel.CreateBounded<(PodChange Change, long Revision)>(new BoundedChannelOptions(WatcherBuffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        WatchPodsResponse first;
        NodeAssignments state;
        lock (_lock)
        {
            state = Assignments(nodeName);
            // A revision from before the log window, or one this hub never reached (a store restored from an older
            // copy), cannot be resumed from: the agent gets a snapshot.
            first = resumeRevision > 0 && resumeRevision >= state.ResumableFrom && resumeRevision <= _revision
                ? new WatchPodsResponse { Changes = state.ChangesAfter(resumeRevision, _revision) }
                : new WatchPodsResponse { Snapshot = state.Snapshot(_revision) };
            state.Watchers.Add(watcher.Writer);
        }

        try
        {
            yield return first;
            while (await watcher.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var changes = new PodChanges();
                while (watcher.Reader.TryRead(out var item))
                {
                    changes.Changes.Add(item.Change);
                    changes.Revision = item.Revision;
                }

                yield return new WatchPodsResponse { Changes = changes };
            }
        }
        finally
        {
            lock (_lock)
            {
                state.Watchers.Remove(watcher.Writer);
            }
        }
    }

    /// <summary>The number of agents watching, for diagnostics and benchmarks.</summary>
    public int WatcherCount
    {
        get
        {
            lock (_lock)
            {
                return _nodes.Values.Sum(n => n.Watchers.Count);
            }
        }
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            var (snapshot, revision, subscription) = store.SnapshotAndSubscribe(ResourceKind.Pod);
            using (subscription)
            {
                lock (_lock)
                {
                    Load(snapshot.Cast<Pod>(), revision);
                }

                _ready.TrySetResult();
                try
                {
                    await foreach (var e in subscription.Events.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                    {
                        lock (_lock)
                        {
                            _revision = e.Revision;
                            if (e.Object is Pod pod)
                            {
                                Apply(e.Type, pod, e.Previous as Pod, e.Revision);
                            }
                        }
                    }

                    return;
                }
                catch (SubscriptionOverflowException)
                {
                    // Changes were lost: the hub starts again from a snapshot, and so does every agent.
                    Log.Reloading(logger, StoreSubscription.Capacity);
                }
            }
        }
    }

    /// <summary>
    /// The assignments at <paramref name="revision"/>. Loaded again after the hub fell behind the store, every node's
    /// log is discarded and its watchers ended, so each agent resumes with a snapshot: no change it missed stays missed.
    /// </summary>
    private void Load(IEnumerable<Pod> pods, long revision)
    {
        _revision = revision;
        foreach (var state in _nodes.Values)
        {
            state.Reset(revision + 1);
        }

        foreach (var pod in pods.Where(p => AssignedNode(p).Length > 0))
        {
            Assignments(AssignedNode(pod)).Pods[pod.Metadata.Uid] = pod;
        }
    }

    private void Apply(StoreEventType type, Pod pod, Pod? previous, long revision)
    {
        var node = AssignedNode(pod);
        var previousNode = previous is null ? "" : AssignedNode(previous);
        if (previousNode.Length > 0 && (type == StoreEventType.Deleted || previousNode != node))
        {
            var state = Assignments(previousNode);
            state.Pods.Remove(previous!.Metadata.Uid);
            state.Record(new PodChange { Deleted = new PodKey { Namespace = previous.Metadata.Namespace, Name = previous.Metadata.Name, Uid = previous.Metadata.Uid } }, revision);
        }

        if (type == StoreEventType.Deleted || node.Length == 0)
        {
            return;
        }

        var target = Assignments(node);
        target.Pods[pod.Metadata.Uid] = pod;
        if (previous is null || previousNode != node || AgentVisibleChange(pod, previous))
        {
            target.Record(new PodChange { Upserted = AgentView(pod) }, revision);
        }
    }

    private NodeAssignments Assignments(string nodeName)
    {
        if (!_nodes.TryGetValue(nodeName, out var state))
        {
            state = new NodeAssignments { ResumableFrom = _revision };
            _nodes[nodeName] = state;
        }

        return state;
    }

    /// <summary>The node that runs the pod from this hub's assignments: none for a mirror pod, whose agent runs it from a manifest.</summary>
    private static string AssignedNode(Pod pod) => pod.IsMirror() ? "" : pod.Spec?.NodeName ?? "";

    private static bool AgentVisibleChange(Pod current, Pod previous) =>
        !Equals(current.Spec, previous.Spec)
        || !Equals(current.Metadata.DeletionTimestamp, previous.Metadata.DeletionTimestamp)
        || current.Metadata.DeletionGracePeriodSeconds != previous.Metadata.DeletionGracePeriodSeconds
        || !current.Metadata.Labels.Equals(previous.Metadata.Labels)
        || !current.Metadata.Annotations.Equals(previous.Metadata.Annotations);

    /// <summary>What an agent needs of a pod: everything but its status.</summary>
    internal static Pod AgentView(Pod pod)
    {
        var view = pod.Clone();
        view.Status = null;
        return view;
    }

    private sealed class NodeAssignments
    {
        private readonly Queue<(PodChange Change, long Revision)> _log = new();

        public Dictionary<string, Pod> Pods { get; } = new(StringComparer.Ordinal);

        public List<ChannelWriter<(PodChange, long)>> Watchers { get; } = [];

        /// <summary>The oldest revision a watch may resume from: every change after it is still in the log.</summary>
        public long ResumableFrom { get; set; }

        /// <summary>Forgets the pods and the log (resuming needs a revision from <paramref name="resumableFrom"/>) and ends every watcher.</summary>
        public void Reset(long resumableFrom)
        {
            Pods.Clear();
            _log.Clear();
            ResumableFrom = resumableFrom;
            foreach (var watcher in Watchers)
            {
                watcher.TryComplete(new IOException("the control plane fell behind its store; the agent resumes with a snapshot"));
            }
        }

        public void Record(PodChange change, long revision)
        {
            _log.Enqueue((change, revision));
            if (_log.Count > LogLength)
            {
                ResumableFrom = _log.Dequeue().Revision;
            }

            foreach (var watcher in Watchers)
            {
                if (!watcher.TryWrite((change, revision)))
                {
                    watcher.TryComplete(new IOException("the agent fell too far behind; it resumes with a snapshot"));
                }
            }
        }

        public PodSnapshot Snapshot(long revision)
        {
            var snapshot = new PodSnapshot { Revision = revision };
            snapshot.Pods.AddRange(Pods.Values.Select(AgentView));
            return snapshot;
        }

        public PodChanges ChangesAfter(long resumeRevision, long revision)
        {
            var changes = new PodChanges { Revision = Math.Max(resumeRevision, revision) };
            changes.Changes.AddRange(_log.Where(e => e.Revision > resumeRevision).Select(e => e.Change));
            return changes;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 35, Level = LogLevel.Warning, Message = "The node assignments fell more than {Capacity} store changes behind; loading them again, and every agent resumes with a snapshot")]
        public static partial void Reloading(ILogger logger, int capacity);
    }
}
