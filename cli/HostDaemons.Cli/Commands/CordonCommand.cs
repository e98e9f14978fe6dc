using System.CommandLine;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// <c>hdctl cordon NODE...</c> and <c>hdctl uncordon NODE...</c>: mark nodes unschedulable, or schedulable again, with
/// kubectl's messages (<c>node/n1 cordoned</c>, <c>node/n1 already cordoned</c>). Daemon pods keep running on cordoned
/// nodes, as in Kubernetes.
/// </summary>
internal sealed class CordonCommand : Command
{
    private readonly Argument<string[]> _nodes = new Argument<string[]>("NODE") { Arity = ArgumentArity.ZeroOrMore }.RejectingFlags();
    private readonly Option<string?> _selector = new("--selector", "-l") { Description = "Selector (label query) to filter on" };
    private readonly Option<string?> _dryRun = DryRunOption.Create();
    private readonly CliEnvironment _env;
    private readonly bool _cordon;

    public CordonCommand(CliEnvironment env, bool cordon)
        : base(cordon ? "cordon" : "uncordon", cordon ? "Mark node as unschedulable" : "Mark node as schedulable")
    {
        _env = env;
        _cordon = cordon;
        Arguments.Add(_nodes);
        Options.Add(_selector);
        Options.Add(_dryRun);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (dryRun, warning) = DryRunOption.Parse(parse, _dryRun);
        var names = (parse.GetValue(_nodes) ?? []).Select(NodeName).ToList();
        var selector = parse.GetValue(_selector) ?? "";
        if (names.Count == 0 && selector.Length == 0)
        {
            throw new CliException($"error: USAGE: {Name} NODE [flags]\nSee 'hdctl {Name} -h' for help and examples");
        }

        if (warning is not null)
        {
            await _env.Error.WriteLineAsync(warning);
        }

        var client = _env.Connect(parse).Client;
        var targets = names.Count > 0 ? names : await NodeNames.ListAsync(client, selector, cancellationToken);
        foreach (var name in targets)
        {
            var request = new CordonRequest { Node = name, Unschedulable = _cordon, DryRun = dryRun != DryRunStrategy.None };
            var response = await client.CordonAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
            var verb = _cordon ? "cordoned" : "uncordoned";
            await _env.Output.WriteLineAsync($"node/{name} {(response.Changed ? verb : "already " + verb)}{DryRunOption.Suffix(dryRun)}");
        }

        return ExitCodes.Success;
    }

    /// <summary>A node's name, also accepted as <c>node/NAME</c> or <c>nodes/NAME</c>.</summary>
    private static string NodeName(string argument)
    {
        var slash = argument.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return argument;
        }

        var kind = ResourceArguments.Kind(argument[..slash]);
        if (kind.Kind != Model.V1.ResourceKind.Node)
        {
            throw new CliException($"error: {argument[..slash]} is not a node");
        }

        return argument[(slash + 1)..];
    }
}
