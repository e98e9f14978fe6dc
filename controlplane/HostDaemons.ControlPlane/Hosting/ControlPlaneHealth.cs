using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Hosting.Systemd;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Hosting;

/// <summary>
/// The control plane's <c>STATUS=</c> line. Its loops stop the process when they die (SupervisedBackgroundService), so
/// healthy here means the process still runs its timers: a frozen or starved process stops feeding the watchdog.
/// </summary>
internal sealed class ControlPlaneHealth(ObjectStore store) : IServiceHealth
{
    public bool IsHealthy => true;

    public string Summary
    {
        get
        {
            var nodes = store.List<Node>();
            var ready = nodes.Count(NodeConditions.IsReady);
            return $"{nodes.Count} nodes ({ready} ready), {store.List<DaemonSet>().Count} daemon sets, {store.List<Pod>().Count} pods";
        }
    }
}
