using System.Diagnostics;
using System.Text;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>
/// The real <c>/usr/bin/kubectl</c> (Google's dispatcher, which asks <c>/version</c> and runs the matching kubectl),
/// with its own kubeconfig and a fresh discovery cache, run as a user runs it.
/// </summary>
public sealed class Kubectl : IDisposable
{
    public const string Path = "/usr/bin/kubectl";

    private readonly string _home;
    private readonly string _kubeconfig;

    private Kubectl(string home, string kubeconfig)
    {
        _home = home;
        _kubeconfig = kubeconfig;
    }

    public static bool Available => File.Exists(Path);

    /// <summary>kubectl with <paramref name="kubeconfig"/> (an admin.conf, or a user's from hdctl kubeconfig user).</summary>
    public static Kubectl WithKubeconfig(string kubeconfig) => new(Directory.CreateTempSubdirectory("kubectl-").FullName, kubeconfig);

    /// <summary>kubectl for a development-mode control plane: plain http, no credentials.</summary>
    public static Kubectl ForDevelopment(string server)
    {
        var home = Directory.CreateTempSubdirectory("kubectl-").FullName;
        var kubeconfig = System.IO.Path.Combine(home, "config");
        File.WriteAllText(kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: dev
              cluster:
                server: {{server}}
            contexts:
            - name: dev
              context:
                cluster: dev
                user: dev
            current-context: dev
            users:
            - name: dev
              user: {}
            """);
        return new Kubectl(home, kubeconfig);
    }

    public Task<KubectlResult> RunAsync(params string[] args) => RunWithInputAsync("", args);

    public async Task<KubectlResult> RunWithInputAsync(string input, params string[] args)
    {
        using var process = Start(args);
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).DefaultTimeout();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return new KubectlResult(process.ExitCode, await output, await error) { Command = string.Join(' ', args) };
    }

    /// <summary>Runs a command that must succeed and returns what it printed.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {result.Command} failed ({result.ExitCode}): {result.Error}");
        return result.Output;
    }

    /// <summary>Starts a command that runs until disposed (<c>get -w</c>, <c>logs -f</c>).</summary>
    public KubectlStream Stream(params string[] args) => new(Start(args));

    private Process Start(string[] args)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = _kubeconfig;
        start.Environment["KUBECACHEDIR"] = System.IO.Path.Combine(_home, "cache");
        start.Environment["HOME"] = _home;
        return Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What kubectl printed and its exit code; equal to another result with the same three, whatever the command.</summary>
public sealed record KubectlResult(int ExitCode, string Output, string Error)
{
    public string Command { get; init; } = "";

    public bool Equals(KubectlResult? other) => other is not null && (ExitCode, Output, Error) == (other.ExitCode, other.Output, other.Error);

    public override int GetHashCode() => HashCode.Combine(ExitCode, Output, Error);

    /// <summary>The cells of the table row whose first cell is <paramref name="name"/>, or null.</summary>
    public string[]? Row(string name) => Output.Split('\n')
        .Select(line => System.Text.RegularExpressions.Regex.Split(line.Trim(), @"\s{2,}"))
        .FirstOrDefault(cells => cells[0] == name);
}

/// <summary>A kubectl command that runs until stopped, with the lines it has printed so far.</summary>
public sealed class KubectlStream : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    internal KubectlStream(Process process)
    {
        _process = process;
        _process.StandardInput.Close();
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string[] Lines
    {
        get
        {
            lock (_output)
            {
                return _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public Task WaitForAsync(Func<string[], bool> condition, string because) =>
        AsyncTestHelpers.WaitUntilAsync(
            () => Task.FromResult(_process.HasExited && !condition(Lines) ? throw new InvalidOperationException($"kubectl ended: {string.Join('\n', Lines)}\n{Error}") : condition(Lines)),
            because, describe: () => Task.FromResult(string.Join('\n', Lines) + "\n" + Error));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().DefaultTimeout();
        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.Append(line).Append('\n');
        }
    }
}
