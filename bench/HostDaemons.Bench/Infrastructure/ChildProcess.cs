using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>
/// One of the product's executables run as a child process, its output in a log file, so its memory and CPU are its
/// own. The executables are the ones built beside this benchmark (the project references them), so they always
/// match the source.
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;

    private ChildProcess(Process process, string logFile)
    {
        _process = process;
        LogFile = logFile;
    }

    public int Pid => _process.Id;

    public string LogFile { get; }

    public bool HasExited => _process.HasExited;

    public static string BinaryPath(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, name);
        return File.Exists(path) ? path : throw new BenchFailedException($"{path} is missing: build bench/HostDaemons.Bench first");
    }

    public static ChildProcess Start(string executable, IEnumerable<string> args, string logFile, IReadOnlyDictionary<string, string>? environment = null)
    {
        // exec keeps the pid: the shell only redirects the output to the log file.
        var command = "exec " + Quote(executable) + " " + string.Join(' ', args.Select(Quote)) + " >>" + Quote(logFile) + " 2>&1";
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new BenchFailedException($"could not start {executable}");
        return new ChildProcess(process, logFile);
    }

    /// <summary>SIGTERM, as systemd stops the service; SIGKILL if it has not exited in time.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public void ThrowIfExited(string what)
    {
        if (_process.HasExited)
        {
            throw new BenchFailedException($"{what} exited with code {_process.ExitCode}; its log: {LogFile}\n{Tail(LogFile)}");
        }
    }

    public static string Tail(string file, int lines = 15)
    {
        try
        {
            return string.Join('\n', File.ReadLines(file).TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
