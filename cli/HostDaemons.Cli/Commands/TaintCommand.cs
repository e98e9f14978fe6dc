using System.CommandLine;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl taint node NAME KEY=VAL:EFFECT... KEY:EFFECT- KEY- [--overwrite]</c>, with kubectl's checks and messages.</summary>
internal sealed class TaintCommand : Command
{
    private readonly Argument<string[]> _arguments = new("NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N") { Arity = ArgumentArity.OneOrMore };
    private readonly Option<bool> _overwrite = new("--overwrite") { Description = "Allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints" };
    private readonly Option<bool> _all = new("--all") { Description = "Select all nodes in the cluster" };
    private readonly Option<string?> _selector = new("--selector", "-l") { Description = "Selector (label query) to filter on" };
    private readonly Option<string?> _dryRun = DryRunOption.Create();
    private readonly CliEnvironment _env;

    public TaintCommand(CliEnvironment env)
        : base("taint", "Update the taints on one or more nodes")
    {
        _env = env;
        Arguments.Add(_arguments);
        Options.Add(_overwrite);
        Options.Add(_all);
        Options.Add(_selector);
        Options.Add(_dryRun);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (dryRun, warning) = DryRunOption.Parse(parse, _dryRun);
        var (resources, specs) = TaintSpecs.Split(parse.GetValue(_arguments) ?? []);
        if (resources.Count < 1)
        {
            throw new CliException("error: one or more resources must be specified as <resource> <name>");
        }

        if (specs.Count < 1)
        {
            throw new CliException("error: at least one taint update is required");
        }

        List<Taint> add, remove;
        try
        {
            (add, remove) = TaintSpecs.Parse(specs);
        }
        catch (FormatException ex)
        {
            throw new CliException($"error: {ex.Message}\nSee 'hdctl taint -h' for help and examples");
        }

        var (kind, names) = ResourceArguments.Parse(resources);
        if (kind.Kind != ResourceKind.Node)
        {
            throw new CliException($"error: invalid resource type {resources[0].Split('/')[0]}, only [\"node\" \"nodes\"] are supported");
        }

        if (TaintSpecs.Conflicts(add, remove) is { } conflict)
        {
            throw new CliException($"error: {conflict}");
        }

        var (all, selector) = (parse.GetValue(_all), parse.GetValue(_selector) ?? "");
        if (all && selector.Length > 0)
        {
            throw new CliException("error: setting 'all' parameter with a non empty selector is prohibited");
        }

        if (!all && selector.Length == 0 && names.Count == 0)
        {
            throw new CliException("error: at least one resource name must be specified since 'all' parameter is not set");
        }

        if (warning is not null)
        {
            await _env.Error.WriteLineAsync(warning);
        }

        var client = _env.Connect(parse).Client;
        var targets = names.Count > 0 ? names : await NodeNames.ListAsync(client, selector, cancellationToken);
        foreach (var name in targets)
        {
            var request = new TaintRequest { Node = name, Overwrite = parse.GetValue(_overwrite), DryRun = dryRun != DryRunStrategy.None };
            request.Add.Add(add);
            request.Remove.Add(remove);
            var response = await client.TaintAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
            await _env.Output.WriteLineAsync($"node/{name} {response.Operation}{DryRunOption.Suffix(dryRun)}");
        }

        return ExitCodes.Success;
    }
}
