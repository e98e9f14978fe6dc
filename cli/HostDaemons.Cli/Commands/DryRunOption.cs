using System.CommandLine;
using HostDaemons.Cli.Client;

namespace HostDaemons.Cli.Commands;

/// <summary>kubectl's <c>--dry-run</c> strategies.</summary>
internal enum DryRunStrategy
{
    None,

    /// <summary>Checked by hdctl only: nothing is sent (apply asks the server only whether the object exists).</summary>
    Client,

    /// <summary>Sent to the control plane, which does everything but store.</summary>
    Server,
}

/// <summary><c>--dry-run[=none|client|server]</c>, parsed as kubectl parses it.</summary>
internal static class DryRunOption
{
    public static Option<string?> Create() => new("--dry-run")
    {
        Description = "none (default): send it; client: only check and print what would be sent; server: send it, and let the control plane check everything but store",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>The strategy, and kubectl's deprecation warning for the forms it still accepts (bare <c>--dry-run</c>, true, false).</summary>
    public static (DryRunStrategy Strategy, string? Warning) Parse(ParseResult parse, Option<string?> option)
    {
        if (parse.GetResult(option) is null)
        {
            return (DryRunStrategy.None, null);
        }

        return parse.GetValue(option) switch
        {
            null or "" or "unchanged" => (DryRunStrategy.Client, "warning: --dry-run is deprecated and can be replaced with --dry-run=client."),
            "client" => (DryRunStrategy.Client, null),
            "server" => (DryRunStrategy.Server, null),
            "none" => (DryRunStrategy.None, null),
            "true" => (DryRunStrategy.Client, "warning: --dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client."),
            "false" => (DryRunStrategy.None, "warning: --dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none."),
            var other => throw new CliException($"error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."),
        };
    }

    /// <summary>What kubectl appends to "created" or "configured": <c> (dry run)</c>, <c> (server dry run)</c>.</summary>
    public static string Suffix(DryRunStrategy strategy) => strategy switch
    {
        DryRunStrategy.Client => " (dry run)",
        DryRunStrategy.Server => " (server dry run)",
        _ => "",
    };
}
