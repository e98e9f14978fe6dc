using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Cli.Tests;

/// <summary>Runs hdctl in memory, as a user would from a shell, on the printing tests' clock and against a server that is not there.</summary>
internal static class HdctlRunner
{
    /// <summary>Nothing listens here: a test that reaches the network fails with a connection error, not a file error.</summary>
    public const string UnusedServer = "http://127.0.0.1:1";

    public static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunAsync(args, stdin: "");

    /// <summary>The exit code, and stdout and stderr with "\n" line endings.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, string stdin)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        using var input = new StringReader(stdin);
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal) { ["HOSTDAEMONS_SERVER"] = UnusedServer };
        var code = await HdctlApp.RunAsync(args, output, error, input, variables, new FakeTimeProvider(TestPods.Now), TestContext.Current.CancellationToken).DefaultTimeout();
        return (code, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }
}
