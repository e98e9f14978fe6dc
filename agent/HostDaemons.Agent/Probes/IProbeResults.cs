namespace HostDaemons.Agent.Probes;

/// <summary>
/// The current probe results of container instances, read only: what the planner (kill on a failed liveness or
/// startup probe) and the status builder (started, ready) consult. Results belong to an instance, by container id.
/// </summary>
internal interface IProbeResults
{
    /// <returns>The probe's result after its thresholds, or null while it has none (not run yet, or no such probe).</returns>
    ProbeResult? Get(string containerId, ProbeKind kind);
}
