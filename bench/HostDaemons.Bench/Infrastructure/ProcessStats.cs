using System.Globalization;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>One reading of a process from /proc: resident memory now and at its peak, CPU seconds used so far.</summary>
internal readonly record struct ProcessSample(long RssBytes, long PeakRssBytes, double CpuSeconds, DateTimeOffset At)
{
    /// <summary>Linux' USER_HZ: /proc/PID/stat counts CPU time in these ticks.</summary>
    private const double TicksPerSecond = 100;

    public static ProcessSample Read(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        long Kb(string key) => status.Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => long.Parse(l[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024)
            .FirstOrDefault();

        // Fields after the command (which may hold spaces) start at the last ')': state is field 3, utime 14, stime 15.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return new ProcessSample(Kb("VmRSS:"), Kb("VmHWM:"), ticks / TicksPerSecond, DateTimeOffset.UtcNow);
    }

    public static ProcessSample Self() => Read(Environment.ProcessId);
}

/// <summary>Samples a process every second over a window: the highest RSS seen and the CPU used.</summary>
internal static class ProcessWatch
{
    public static async Task<(long MaxRss, long LastRss, double CpuSeconds, double Seconds)> ObserveAsync(int pid, TimeSpan window, CancellationToken cancellationToken)
    {
        var first = ProcessSample.Read(pid);
        var last = first;
        var maxRss = first.RssBytes;
        var end = DateTimeOffset.UtcNow + window;
        while (end - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait < TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1), cancellationToken);
            last = ProcessSample.Read(pid);
            maxRss = Math.Max(maxRss, last.RssBytes);
        }

        return (maxRss, last.RssBytes, last.CpuSeconds - first.CpuSeconds, (last.At - first.At).TotalSeconds);
    }
}
