using System.CommandLine;
using System.CommandLine.Parsing;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Commands;

namespace HostDaemons.Cli;

/// <summary>hdctl: kubectl's verbs, output and messages for HostDaemons. Every failure is one line on stderr and exit code 1.</summary>
internal static class HdctlApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader input,
        IReadOnlyDictionary<string, string?> variables, TimeProvider time, CancellationToken cancellationToken)
    {
        using var env = new CliEnvironment(output, error, input, variables, time);
        var root = Build(env);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"error: {Describe(parse, root)}");
            await error.WriteLineAsync($"See '{CommandPath(parse.CommandResult)} --help' for usage.");
            return ExitCodes.Error;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (CliException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ex.ExitCode;
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync(env.DescribeError(ex, parse));
            if (parse.GetValue(env.VerboseOption))
            {
                await error.WriteLineAsync(ex.ToString());
            }

            return ExitCodes.Error;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Error;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            if (parse.GetValue(env.VerboseOption))
            {
                await error.WriteLineAsync(ex.ToString());
            }

            return ExitCodes.Error;
        }
    }

    /// <summary>The command as typed: <c>hdctl create secret docker-registry</c>.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is CommandResult command; current = command.Parent)
        {
            names.Add(command.Parent is null ? "hdctl" : command.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The most telling parse error, in kubectl's words where it has them.</summary>
    private static string Describe(ParseResult parse, RootCommand root)
    {
        if (parse.CommandResult.Command == root && parse.UnmatchedTokens.Count > 0)
        {
            return $"unknown command \"{parse.UnmatchedTokens[0]}\" for \"hdctl\"";
        }

        if (parse.UnmatchedTokens.FirstOrDefault(t => t.StartsWith('-')) is { } flag)
        {
            return $"unknown flag: {flag}";
        }

        return parse.Errors[0].Message;
    }

    internal static RootCommand Build(CliEnvironment env)
    {
        var root = new RootCommand("hdctl controls HostDaemons: system daemons on every host, the Kubernetes way, without Kubernetes.");
        root.Options.Add(env.ServerOption);
        root.Options.Add(env.KubeconfigOption);
        root.Options.Add(env.VerboseOption);
        root.Options.Add(env.AsOption);
        root.Options.Add(env.AsGroupOption);
        root.Subcommands.Add(new ApplyCommand(env, ApplyMode.Apply));
        var create = new ApplyCommand(env, ApplyMode.Create);
        create.Subcommands.Add(new CreateSecretCommand(env));
        create.Subcommands.Add(new CreateNamespaceCommand(env));
        create.Subcommands.Add(new CreateConfigMapCommand(env));
        root.Subcommands.Add(create);
        root.Subcommands.Add(new GetCommand(env));
        root.Subcommands.Add(new DescribeCommand(env));
        root.Subcommands.Add(new DeleteCommand(env));
        root.Subcommands.Add(new DiffCommand(env));
        root.Subcommands.Add(new LabelCommand(env));
        root.Subcommands.Add(new TaintCommand(env));
        root.Subcommands.Add(new CordonCommand(env, cordon: true));
        root.Subcommands.Add(new CordonCommand(env, cordon: false));
        root.Subcommands.Add(new ExplainPlacementCommand(env));
        root.Subcommands.Add(new RolloutCommand(env));
        root.Subcommands.Add(new SetCommand(env));
        root.Subcommands.Add(new LogsCommand(env));
        root.Subcommands.Add(new TokenCommand(env));
        root.Subcommands.Add(new KubeconfigCommand(env));
        root.Subcommands.Add(new NodeCommand(env));
        root.Subcommands.Add(new VersionCommand(env));
        root.Subcommands.Add(new AuthCommand(env));
        return root;
    }
}
