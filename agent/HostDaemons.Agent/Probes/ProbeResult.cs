namespace HostDaemons.Agent.Probes;

internal enum ProbeResult
{
    Success,
    Failure,
}
