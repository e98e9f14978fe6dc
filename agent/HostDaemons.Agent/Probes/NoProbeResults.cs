namespace HostDaemons.Agent.Probes;

/// <summary>No probe has run: containers without probes are started and ready as soon as they run, those with one are not.</summary>
internal sealed class NoProbeResults : IProbeResults
{
    public static readonly NoProbeResults Instance = new();

    private NoProbeResults()
    {
    }

    public ProbeResult? Get(string containerId, ProbeKind kind) => null;
}
