using HostDaemons.Agent.Probes;

namespace HostDaemons.Agent.Tests.TestServices;

/// <summary>Probe results as a test sets them, by container id and kind.</summary>
internal sealed class StubProbeResults : IProbeResults
{
    private readonly Dictionary<(string, ProbeKind), ProbeResult> _results = [];

    public StubProbeResults Set(string containerId, ProbeKind kind, ProbeResult result)
    {
        _results[(containerId, kind)] = result;
        return this;
    }

    public ProbeResult? Get(string containerId, ProbeKind kind) => _results.TryGetValue((containerId, kind), out var result) ? result : null;
}
