namespace HostDaemons.Hosting.Systemd;

/// <summary>What a daemon tells systemd about itself: whether its work is going on, and a one-line summary.</summary>
public interface IServiceHealth
{
    /// <summary>True while the daemon's loops make progress: only then is the watchdog fed.</summary>
    bool IsHealthy { get; }

    /// <summary>The <c>STATUS=</c> line <c>systemctl status</c> shows, such as "12 pods running, control plane connected".</summary>
    string Summary { get; }
}
