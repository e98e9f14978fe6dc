using System.Text.Json.Nodes;
using HostDaemons.Cli;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>Runs hdctl commands in this process, as a user types them, and captures what they print.</summary>
public sealed class Hdctl(IReadOnlyDictionary<string, string?> variables)
{
    /// <summary>hdctl for a development-mode control plane: <c>HOSTDAEMONS_SERVER</c>, no kubeconfig.</summary>
    public Hdctl(string server)
        : this(new Dictionary<string, string?> { ["HOSTDAEMONS_SERVER"] = server })
    {
    }

    /// <summary>hdctl as a user with <c>KUBECONFIG</c> set (and no home directory of its own to search).</summary>
    public static Hdctl WithKubeconfig(string path) => new(new Dictionary<string, string?> { ["KUBECONFIG"] = path });

    public Task<HdctlResult> RunAsync(params string[] args) => RunWithInputAsync("", args);

    public async Task<HdctlResult> RunWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input);
        var exit = await RunAsync(args, output, error, reader, TestContext.Current.CancellationToken).DefaultTimeout();
        return new HdctlResult(exit, output.ToString(), error.ToString(), string.Join(' ', args));
    }

    /// <summary>For commands that run until cancelled (<c>logs -f</c>, <c>get -w</c>): output goes to the writer as it comes.</summary>
    public Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader input, CancellationToken cancellationToken)
    {
        return HdctlApp.RunAsync(args, output, error, input, variables, TimeProvider.System, cancellationToken);
    }

    /// <summary>Starts a command that runs until the stream is disposed, such as <c>get -w</c>.</summary>
    public HdctlStream Stream(params string[] args) => new(this, args);

    /// <summary>Runs <c>get ... -o json</c> and returns the object, or the list's items.</summary>
    public async Task<JsonNode> JsonAsync(params string[] args)
    {
        var node = JsonNode.Parse(await OkAsync([.. args, "-o", "json"]))!;
        return node["kind"]?.GetValue<string>() == "List" ? node["items"]! : node;
    }

    /// <summary>Runs a command that must succeed, and returns what it printed.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"hdctl {result.Command} failed ({result.ExitCode}): {result.Error}");
        return result.Output;
    }
}

public sealed record HdctlResult(int ExitCode, string Output, string Error, string Command)
{
    /// <summary>The cells of the table row whose first cell is <paramref name="name"/>, or null.</summary>
    public string[]? Row(string name) => Output.Split('\n')
        .Select(line => System.Text.RegularExpressions.Regex.Split(line.Trim(), @"\s{2,}"))
        .FirstOrDefault(cells => cells[0] == name);
}
