using System.Diagnostics;
using System.Globalization;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>
/// One run of the real kubectl (Google's dispatcher at <c>/usr/bin/kubectl</c>, which asks <c>/version</c> and runs the
/// matching kubectl) with a kubeconfig, a discovery cache directory and a HOME of its own. When <c>/usr/bin/time</c> is
/// there it wraps the run, so kubectl's own CPU seconds and peak RSS are known too.
/// </summary>
internal static class KubectlRun
{
    public const string DefaultPath = "/usr/bin/kubectl";

    private const string TimePath = "/usr/bin/time";

    public static async Task<Result> RunAsync(string kubectl, string kubeconfig, string cacheDir, string home, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var timing = File.Exists(TimePath) ? Path.Combine(home, "time.txt") : null;
        var start = new ProcessStartInfo(timing is null ? kubectl : TimePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (timing is not null)
        {
            foreach (var arg in new[] { "-f", "%U %S %M", "-o", timing, kubectl })
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["KUBECACHEDIR"] = cacheDir;
        start.Environment["HOME"] = home;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new BenchFailedException($"could not start {kubectl}");
        var output = CountAsync(process.StandardOutput.BaseStream, cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var (bytes, lines) = await output;
        var elapsed = watch.Elapsed.TotalMilliseconds;
        var stderr = await error;
        if (process.ExitCode != 0)
        {
            throw new BenchFailedException($"kubectl {string.Join(' ', args)} exited with {process.ExitCode}: {stderr.Trim()}");
        }

        double cpu = double.NaN;
        long maxRss = 0;
        if (timing is not null && File.Exists(timing) && File.ReadLines(timing).LastOrDefault()?.Split(' ') is [var user, var system, var kb])
        {
            cpu = double.Parse(user, CultureInfo.InvariantCulture) + double.Parse(system, CultureInfo.InvariantCulture);
            maxRss = long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }

        return new Result(elapsed, bytes, lines, cpu, maxRss, stderr);
    }

    private static async Task<(long Bytes, long Lines)> CountAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        long bytes = 0, lines = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return (bytes, lines);
    }

    /// <param name="Milliseconds">Wall time from the start of the process to its exit.</param>
    /// <param name="Bytes">What kubectl printed on its standard output.</param>
    /// <param name="Lines">The lines of that output.</param>
    /// <param name="CpuSeconds">kubectl's user + system CPU (the dispatcher and the kubectl it runs), NaN without /usr/bin/time.</param>
    /// <param name="MaxRssBytes">kubectl's peak RSS, 0 without /usr/bin/time.</param>
    /// <param name="Error">What kubectl printed on its standard error.</param>
    public sealed record Result(double Milliseconds, long Bytes, long Lines, double CpuSeconds, long MaxRssBytes, string Error);
}
