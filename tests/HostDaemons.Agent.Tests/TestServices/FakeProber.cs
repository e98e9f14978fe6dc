using HostDaemons.Agent.Probes;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.TestServices;

/// <summary>One run of a probe the <see cref="FakeProber"/> answered: which probe, of which instance, when.</summary>
internal sealed record ProbeCall(ProbeKind Kind, string ContainerId, DateTimeOffset At);

/// <summary>
/// Answers probes as told, per kind (and optionally per container instance), success unless told otherwise, and
/// records every run with the time on the test's clock.
/// </summary>
internal sealed class FakeProber(TimeProvider time) : IProber
{
    private readonly Lock _lock = new();
    private readonly List<ProbeCall> _calls = [];
    private readonly Dictionary<(ProbeKind, string?), ProbeResult> _answers = [];

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

    /// <summary>When set, every run throws it (a prober bug, or an engine that fails).</summary>
    public Exception? Failure { get; set; }

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

    public Task<ProbeOutcome> ProbeAsync(ProbeKind kind, Probe probe, ProbeTarget target, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ProbeResult result;
        lock (_lock)
        {
            _calls.Add(new ProbeCall(kind, target.Instance.Id, time.GetUtcNow()));
            result = _answers.TryGetValue((kind, target.Instance.Id), out var mine) ? mine
                : _answers.TryGetValue((kind, null), out var any) ? any
                : ProbeResult.Success;
        }

        if (Failure is { } failure)
        {
            return Task.FromException<ProbeOutcome>(failure);
        }

        return Task.FromResult(result == ProbeResult.Success ? ProbeOutcome.Success() : ProbeOutcome.Failure($"{kind} check failed"));
    }
}
