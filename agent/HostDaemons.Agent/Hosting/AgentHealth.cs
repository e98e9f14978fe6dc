using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.StaticPods;
using HostDaemons.Hosting.Systemd;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Hosting;

/// <summary>
/// The agent is healthy while its reconcile passes succeed: every pass lists the containers through Docker, so a
/// recent success means both the loop and the Docker connection work. A pass runs at least every resync period.
/// </summary>
internal sealed class AgentHealth(
    Reconciler reconciler,
    ControlPlaneSession session,
    StaticPodSet staticPods,
    TimeProvider time,
    IOptions<AgentOptions> options) : IServiceHealth
{
    private static readonly TimeSpan s_slack = TimeSpan.FromSeconds(30);

    // Before the first pass completes, the agent's start counts as its last sign of life.
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public bool IsHealthy => time.GetUtcNow() - (reconciler.LastSuccess ?? _started) <= options.Value.ResyncPeriod * 2 + s_slack;

    public string Summary
    {
        get
        {
            var pods = reconciler.RunningPods == 1 ? "1 pod running" : $"{reconciler.RunningPods} pods running";
            var link = session.IsNodeDeleted ? "node deleted: restart the agent to register again"
                : session.IsConnected ? "control plane connected"
                : "control plane unreachable";
            var errors = staticPods.Errors.Count switch
            {
                0 => "",
                1 => ", 1 invalid manifest",
                var n => $", {n} invalid manifests",
            };
            var docker = IsHealthy ? "" : ", Docker or the reconcile loop not responding";
            return $"{pods}, {link}{errors}{docker}";
        }
    }
}
