using Google.Protobuf;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Desired;

/// <summary>
/// The pods the control plane assigned to this node, and the revision they are current to. Every change is written to
/// the state directory first, so a restarted agent runs its pods with no control plane and resumes its watch where it
/// left off.
/// </summary>
internal sealed partial class AssignedPods
{
    private const string FileName = "assignments.pb";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Pod> _pods = new(StringComparer.Ordinal);
    private readonly string _path;
    private readonly ReconcileSignal _signal;
    private readonly ILogger<AssignedPods> _logger;

    public AssignedPods(IOptions<AgentOptions> options, ReconcileSignal signal, ILogger<AssignedPods> logger)
    {
        _path = Path.Combine(options.Value.StateDir, FileName);
        _signal = signal;
        _logger = logger;
        Load();
    }

    /// <summary>The revision of the last change applied; 0 when there is none.</summary>
    public long Revision { get; private set; }

    /// <summary>True once the assignments are known (from disk or the control plane): only then may the agent stop containers it does not know.</summary>
    public bool IsKnown { get; private set; }

    public IReadOnlyList<Pod> Current
    {
        get
        {
            lock (_lock)
            {
                return [.. _pods.Values];
            }
        }
    }

    public void ReplaceAll(IEnumerable<Pod> pods, long revision)
    {
        lock (_lock)
        {
            _pods.Clear();
            foreach (var pod in pods)
            {
                _pods[pod.Metadata.Uid] = pod;
            }

            Revision = revision;
            IsKnown = true;
            Save();
        }

        _signal.Trigger();
    }

    public void Apply(PodChanges changes)
    {
        lock (_lock)
        {
            foreach (var change in changes.Changes)
            {
                if (change.ChangeCase == PodChange.ChangeOneofCase.Upserted)
                {
                    _pods[change.Upserted.Metadata.Uid] = change.Upserted;
                }
                else if (change.ChangeCase == PodChange.ChangeOneofCase.Deleted)
                {
                    _pods.Remove(change.Deleted.Uid);
                }
            }

            Revision = Math.Max(Revision, changes.Revision);
            Save();
        }

        if (changes.Changes.Count > 0)
        {
            _signal.Trigger();
        }
    }

    private void Load()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        try
        {
            var snapshot = PodSnapshot.Parser.ParseFrom(File.ReadAllBytes(_path));
            foreach (var pod in snapshot.Pods)
            {
                _pods[pod.Metadata.Uid] = pod;
            }

            Revision = snapshot.Revision;
            IsKnown = true;
            Log.Loaded(_logger, _pods.Count, _path);
        }
        catch (Exception ex) when (ex is IOException or InvalidProtocolBufferException or UnauthorizedAccessException)
        {
            Log.LoadFailed(_logger, _path, ex);
        }
    }

    private void Save()
    {
        var snapshot = new PodSnapshot { Revision = Revision };
        snapshot.Pods.AddRange(_pods.Values);
        var directory = Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(directory);
        var temporary = _path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            snapshot.WriteTo(file);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Loaded {Count} assigned pods from {Path}")]
        public static partial void Loaded(ILogger logger, int count, string path);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Could not read the saved assignments in {Path}; waiting for the control plane")]
        public static partial void LoadFailed(ILogger logger, string path, Exception exception);
    }
}
