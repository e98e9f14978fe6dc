using System.Diagnostics;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>An agent as its own process (the build's hostdaemons-agent), for what only a real process shows: kill -9.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly List<string> _output = [];
    private Process? _process;

    /// <summary>An agent for <paramref name="nodeName"/>, with <paramref name="extraArgs"/> as more flags.</summary>
    public AgentProcess(string server, string nodeName, string stateDir, string manifestDir, IReadOnlyList<string>? extraArgs = null)
    {
        NodeName = nodeName;
        _start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "hostdaemons-agent"),
            ["--server", server, "--node-name", nodeName, "--state-dir", stateDir, "--manifest-dir", manifestDir, .. extraArgs ?? []])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
    }

    public string NodeName { get; }

    /// <summary>The running agent's process id.</summary>
    public int Id => _process?.Id ?? throw new InvalidOperationException("the agent is not running");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join("\n", _output.TakeLast(40));
            }
        }
    }

    /// <summary>Starts the agent; <see cref="Output"/> then shows this run only.</summary>
    public void Start()
    {
        lock (_output)
        {
            _output.Clear();
        }

        _process = Process.Start(_start) ?? throw new InvalidOperationException("the agent did not start");
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits (bounded) for the agent to exit on its own, as one refusing its settings does, and gives its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var process = _process ?? throw new InvalidOperationException("the agent is not running");
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).DefaultTimeout(timeout);
        return process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the host crashes or the OOM killer strikes.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None).DefaultTimeout();
        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync() => new(KillAsync());

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }
}
