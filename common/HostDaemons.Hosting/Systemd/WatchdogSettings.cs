using System.Globalization;

namespace HostDaemons.Hosting.Systemd;

/// <summary>The watchdog systemd asks for through <c>WATCHDOG_USEC</c> (and <c>WATCHDOG_PID</c>), per sd_watchdog_enabled(3).</summary>
public static class WatchdogSettings
{
    /// <summary>The watchdog timeout, or null when systemd does not watch this process.</summary>
    public static TimeSpan? Read(IReadOnlyDictionary<string, string?> environment, int processId)
    {
        if (!long.TryParse(environment.GetValueOrDefault("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            return null;
        }

        if (environment.GetValueOrDefault("WATCHDOG_PID") is { Length: > 0 } pid
            && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var watched) || watched != processId))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(microseconds);
    }
}
