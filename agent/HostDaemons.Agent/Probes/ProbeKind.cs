namespace HostDaemons.Agent.Probes;

/// <summary>The three probes a container can have.</summary>
internal enum ProbeKind
{
    Readiness,
    Liveness,
    Startup,
}
