using System.Diagnostics;
using System.Globalization;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>Samples a process's threads with <c>dotnet-trace</c> (~100 Hz) for a while: where its time goes.</summary>
internal static class DotnetTrace
{
    /// <summary>Starts <c>dotnet-trace collect</c> on <paramref name="pid"/> into <paramref name="file"/>, and gives it 2 s to attach.</summary>
    public static async Task<Process> StartAsync(string tool, int pid, string file, TimeSpan duration, TextWriter output)
    {
        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time", "-o", file,
            "--duration", duration.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new BenchFailedException($"could not start {tool}");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        output.WriteLine($"  tracing the control plane for {duration.TotalSeconds:0} s into {file}");
        return process;
    }
}
