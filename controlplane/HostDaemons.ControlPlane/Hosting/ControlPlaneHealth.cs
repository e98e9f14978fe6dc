using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Hosting.Systemd;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Hosting;

/// <summary>
/// The control plane's <c>STATUS=</c> line. Its loops stop the process when they die (SupervisedBackgroundService), so
/// healthy here means the process still runs its timers: a frozen or starved process stops feeding the watchdog. An
/// audit log that cannot be written is said on the line (the API keeps serving, so the watchdog is still fed), and so
/// are loops whose store writes fail (<see cref="StoreRetryPolicy"/>: they retry, the process stays up).
/// </summary>
internal sealed class ControlPlaneHealth(ObjectStore store, AuditLog audit, StoreRetryPolicy retries) : IServiceHealth
{
    public bool IsHealthy => true;

    public string Summary
    {
        get
        {
            var nodes = store.List<Node>();
            var ready = nodes.Count(NodeConditions.IsReady);
            var summary = $"{nodes.Count} nodes ({ready} ready), {store.List<DaemonSet>().Count} daemon sets, {store.List<Pod>().Count} pods";
            var problems = new[] { AuditLogHealthCheck.Describe(audit), retries.Describe() }.OfType<string>();
            return string.Join("; ", problems.Prepend(summary));
        }
    }
}
