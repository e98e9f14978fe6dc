using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Probes;

/// <summary>Runs a probe's handler (exec, httpGet or tcpSocket) once against a container instance.</summary>
internal interface IProber
{
    /// <summary>
    /// One run, bounded by the probe's timeout. Anything that keeps the check from passing (refused, timed out, a
    /// non-zero exit, a bad status) is a failure outcome, not an exception.
    /// </summary>
    Task<ProbeOutcome> ProbeAsync(ProbeKind kind, Probe probe, ProbeTarget target, CancellationToken cancellationToken);
}
