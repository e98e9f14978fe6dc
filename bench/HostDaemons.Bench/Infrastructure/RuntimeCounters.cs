using System.Diagnostics;
using System.Globalization;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>
/// The control plane's managed heap, read with <c>dotnet-counters</c> (the runtime's System.Runtime meter over
/// EventPipe, for 2 s): the heap after its last collection, summed over the generations, and the memory the GC has
/// committed. Without the tool the figures are absent, never a failure.
/// </summary>
internal sealed class RuntimeCounters(string? tool)
{
    private const string Counters = "System.Runtime[dotnet.gc.last_collection.heap.size,dotnet.gc.last_collection.memory.committed_size]";

    /// <summary>No readings of the heap (the smoke run: each reading takes the tool's 2 s).</summary>
    public static RuntimeCounters None { get; } = new(null);

    /// <summary><paramref name="option"/> when given, else <c>dotnet-counters</c> on the PATH or in ~/.dotnet/tools, else none.</summary>
    public static RuntimeCounters Find(string? option)
    {
        if (option is not null)
        {
            return new RuntimeCounters(File.Exists(option) ? option : throw new BenchUsageException($"--counters: no {option}"));
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"));
        return new RuntimeCounters(directories.Select(d => Path.Combine(d, "dotnet-counters")).FirstOrDefault(File.Exists));
    }

    /// <summary>The heap and the GC's committed bytes, or (-1, -1) when the tool is absent or read nothing.</summary>
    public async Task<(long Heap, long Committed)> ReadAsync(int pid, string scratchDir, CancellationToken cancellationToken)
    {
        if (tool is null)
        {
            return (-1, -1);
        }

        var file = Path.Combine(scratchDir, $"counters-{Guid.NewGuid():N}.csv");
        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--counters", Counters, "--format", "csv", "-o", file,
            "--refresh-interval", "1", "--duration", "00:00:00:02" })
        {
            start.ArgumentList.Add(arg);
        }

        using (var process = Process.Start(start) ?? throw new BenchFailedException($"could not start {tool}"))
        {
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        if (!File.Exists(file))
        {
            return (-1, -1);
        }

        // Timestamp,Provider,Counter Name,Counter Type,Mean/Increment; the last second's rows win.
        var rows = File.ReadLines(file).Skip(1).Select(line => line.Split(',')).Where(f => f.Length >= 5).ToList();
        File.Delete(file);
        if (rows.Count == 0)
        {
            return (-1, -1);
        }

        var last = rows.Where(f => f[0] == rows[^1][0]).ToList();
        long Sum(string counter) => (long)last.Where(f => f[2].StartsWith(counter, StringComparison.Ordinal))
            .Sum(f => double.Parse(f[4], CultureInfo.InvariantCulture));
        return (Sum("dotnet.gc.last_collection.heap.size"), Sum("dotnet.gc.last_collection.memory.committed_size"));
    }
}
