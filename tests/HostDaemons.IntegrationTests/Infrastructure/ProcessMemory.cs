using System.Diagnostics;
using System.Globalization;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>What a process's memory peaked at, from Linux's own accounting.</summary>
public static class ProcessMemory
{
    /// <summary>The peak resident set (<c>VmHWM</c> of <c>/proc/PID/status</c>) of a running process, in bytes.</summary>
    public static long PeakBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>
    /// Runs <paramref name="program"/> to its end under GNU time, which reads the peak resident set the kernel kept
    /// for it; gives the exit code, stderr (without time's line), the peak in bytes and the wall time.
    /// </summary>
    public static async Task<(int ExitCode, string Error, long PeakBytes, TimeSpan Elapsed)> RunAsync(string program, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string> environment)
    {
        const string Marker = "peak-rss-kb=";
        var start = new ProcessStartInfo("/usr/bin/time", ["-f", Marker + "%M", program, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken).DefaultTimeout();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).DefaultTimeout();
        clock.Stop();
        await output;
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("Command exited with non-zero status", StringComparison.Ordinal)).ToList();
        var peak = lines.Last(l => l.StartsWith(Marker, StringComparison.Ordinal));
        return (process.ExitCode, string.Join("\n", lines.Where(l => l != peak)),
            long.Parse(peak[Marker.Length..], CultureInfo.InvariantCulture) * 1024, clock.Elapsed);
    }
}
