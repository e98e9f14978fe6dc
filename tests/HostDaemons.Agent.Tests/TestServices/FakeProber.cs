using System.Threading.Channels;
using HostDaemons.Agent.Probes;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.TestServices;

/// <summary>One run of a probe the <see cref="FakeProber"/> answered: which probe, of which instance, when.</summary>
internal sealed record ProbeCall(ProbeKind Kind, string ContainerId, DateTimeOffset At);

/// <summary>A run of a probe that waits for the test to answer it (<see cref="FakeProber.Manual"/>).</summary>
internal sealed class PendingProbe(ProbeCall call)
{
    private readonly TaskCompletionSource<ProbeOutcome> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ProbeCall Call => call;

    public Task<ProbeOutcome> Outcome => _answer.Task;

    public void Answer(ProbeResult result) =>
        _answer.TrySetResult(result == ProbeResult.Success ? ProbeOutcome.Success() : ProbeOutcome.Failure($"{call.Kind} check failed"));
}

/// <summary>
/// Answers probes, and records every run with the time on the test's clock. Automatic by default: success unless told
/// otherwise per kind (and optionally per container instance). <see cref="Manual"/>: each run waits until the test
/// takes it with <see cref="NextAsync"/> and answers it, so a test sees the results exactly as they were before it.
/// </summary>
internal sealed class FakeProber(TimeProvider time) : IProber
{
    private readonly Lock _lock = new();
    private readonly List<ProbeCall> _calls = [];
    private readonly Dictionary<(ProbeKind, string?), ProbeResult> _answers = [];
    private readonly Dictionary<ProbeKind, Channel<PendingProbe>> _pending = Enum.GetValues<ProbeKind>().ToDictionary(k => k, _ => Channel.CreateUnbounded<PendingProbe>());

    /// <summary>Runs wait for the test to answer them.</summary>
    public bool Manual { get; set; }

    /// <summary>When set, every run throws it (a prober bug, or an engine that fails).</summary>
    public Exception? Failure { get; set; }

    public IReadOnlyList<ProbeCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Every later run of <paramref name="kind"/> (of <paramref name="containerId"/> only, when given) answers <paramref name="result"/>.</summary>
    public void Answer(ProbeKind kind, ProbeResult result, string? containerId = null)
    {
        lock (_lock)
        {
            _answers[(kind, containerId)] = result;
        }
    }

    public int Count(ProbeKind kind, string? containerId = null)
    {
        lock (_lock)
        {
            return _calls.Count(c => c.Kind == kind && (containerId is null || c.ContainerId == containerId));
        }
    }

    /// <summary>The next run of <paramref name="kind"/>, waiting for its answer (<see cref="Manual"/> only).</summary>
    public Task<PendingProbe> NextAsync(ProbeKind kind) => _pending[kind].Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().DefaultTimeout();

    public async Task<ProbeOutcome> ProbeAsync(ProbeKind kind, Probe probe, ProbeTarget target, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = new ProbeCall(kind, target.Instance.Id, time.GetUtcNow());
        ProbeResult result;
        lock (_lock)
        {
            _calls.Add(call);
            result = _answers.TryGetValue((kind, target.Instance.Id), out var mine) ? mine
                : _answers.TryGetValue((kind, null), out var any) ? any
                : ProbeResult.Success;
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        if (Manual)
        {
            var pending = new PendingProbe(call);
            _pending[kind].Writer.TryWrite(pending);
            return await pending.Outcome.WaitAsync(cancellationToken);
        }

        return result == ProbeResult.Success ? ProbeOutcome.Success() : ProbeOutcome.Failure($"{kind} check failed");
    }
}
