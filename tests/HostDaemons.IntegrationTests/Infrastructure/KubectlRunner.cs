using System.Diagnostics;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>
/// Runs the real <c>/usr/bin/kubectl</c> against a development-mode control plane: a kubeconfig whose cluster is the
/// control plane's http:// address and whose user is empty (or a given kubeconfig), and a fresh discovery cache
/// (<c>KUBECACHEDIR</c>) per runner.
/// </summary>
public sealed class KubectlRunner : IDisposable
{
    private readonly TempDirectory _home = new("hd-kubectl");
    private readonly string _kubeconfig;

    /// <summary>kubectl with a kubeconfig of its own (a TLS control plane's admin.conf or a user's).</summary>
    public KubectlRunner(string server, string? kubeconfig = null)
    {
        _kubeconfig = kubeconfig ?? _home.Combine("kubeconfig");
        if (kubeconfig is not null)
        {
            return;
        }


        File.WriteAllText(_home.Combine("kubeconfig"), $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: hostdaemons
              cluster:
                server: {server}
            users:
            - name: developer
              user: {"{}"}
            contexts:
            - name: hostdaemons
              context: {"{cluster: hostdaemons, user: developer}"}
            current-context: hostdaemons
            """);
    }

    public async Task<KubectlResult> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/kubectl", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["KUBECONFIG"] = _kubeconfig;
        start.Environment["KUBECACHEDIR"] = _home.Combine("cache");
        start.Environment["HOME"] = _home.Path;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new KubectlResult(process.ExitCode, await output, await error);
    }

    public void Dispose() => _home.Dispose();
}

public sealed record KubectlResult(int ExitCode, string Output, string Error);
