using System.Threading.Channels;
using Grpc.Core;
using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Auditing;

/// <summary>
/// Where audit events go (<c>--audit-log-path</c>): into a bounded queue that <see cref="AuditLogWriter"/> drains, so
/// recording never waits. A full queue drops the event and counts it; a failing file (a full disk) is reported here
/// once by the writer and shown in the control plane's health until a write succeeds again.
/// </summary>
internal sealed class AuditLog
{
    public const int Capacity = 4096;

    private readonly Channel<AuditEvent> _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    /// <summary>
    /// The call being served, for <see cref="RecordEvent"/>: joins, revocations and issued certificates happen deep in
    /// code that has no call context to pass around, yet their lines name the call's caller and method. A holder that
    /// is emptied when the call ends, so work the call started and that outlives it never sees a finished call.
    /// </summary>
    private static readonly AsyncLocal<CallHolder?> s_currentCall = new();

    private readonly TimeProvider _time;
    private long _dropped;
    private volatile string? _failure;

    public AuditLog(bool enabled, TimeProvider time)
    {
        Enabled = enabled;
        _time = time;
    }

    internal static ServerCallContext? CurrentCall => s_currentCall.Value?.Call;

    internal static void EnterCall(ServerCallContext call) => s_currentCall.Value = new CallHolder { Call = call };

    internal static void LeaveCall()
    {
        if (s_currentCall.Value is { } holder)
        {
            holder.Call = null;
        }
    }

    /// <summary>Whether an audit log is configured; when not, <see cref="Record"/> does nothing.</summary>
    public bool Enabled { get; }

    /// <summary>Events lost: the queue was full, or the file could not be written.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Why the audit file cannot be written, while it cannot; null when it works.</summary>
    public string? Failure => _failure;

    internal ChannelReader<AuditEvent> Reader => _queue.Reader;

    /// <summary>Queues <paramref name="auditEvent"/>; never blocks: when the writer is behind, the event is dropped and counted.</summary>
    public void Record(AuditEvent auditEvent)
    {
        if (Enabled && !_queue.Writer.TryWrite(auditEvent))
        {
            CountDropped();
        }
    }

    /// <summary>
    /// Records something that happened within the current call beyond the call itself (a join, a certificate issued, a
    /// revocation): its own line with a descriptive verb, the object it concerns and annotations saying what was done.
    /// The user is the call's caller unless <paramref name="user"/> names another (a join token's bootstrap user).
    /// </summary>
    public void RecordEvent(string verb, AuditObjectRef? objectRef, IReadOnlyDictionary<string, string> annotations,
        int code = 200, string? message = null, AuditUser? user = null)
    {
        if (!Enabled)
        {
            return;
        }

        var call = CurrentCall;
        var now = AuditEvent.MicroTime(_time.GetUtcNow());
        Record(new AuditEvent
        {
            AuditId = Guid.NewGuid().ToString(),
            RequestUri = call?.Method ?? "",
            Verb = verb,
            User = user ?? AuditInterceptor.UserOf(call is null ? null : CallerIdentity.From(call)),
            SourceIps = call is null ? null : AuditInterceptor.SourceIpsOf(call),
            ObjectRef = objectRef,
            ResponseStatus = new AuditResponseStatus(code, message),
            RequestReceivedTimestamp = now,
            StageTimestamp = now,
            Annotations = annotations,
        });
    }

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    /// <summary>Sets or clears the failure; returns whether this changed it between working and failing.</summary>
    internal bool SetFailure(string? failure)
    {
        var changed = (_failure is null) != (failure is null);
        _failure = failure;
        return changed;
    }

    internal void Complete() => _queue.Writer.TryComplete();

    private sealed class CallHolder
    {
        public ServerCallContext? Call { get; set; }
    }
}
