using System.CommandLine;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Printing;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// <c>hdctl rollout undo ds/NAME [--to-revision N]</c>: the DaemonSet's template becomes that revision's (by default
/// the one before the newest). Pods already on that revision are not restarted.
/// </summary>
internal sealed class RolloutUndoCommand : Command
{
    private readonly Argument<string[]> _resources = new Argument<string[]>("TYPE/NAME") { Arity = ArgumentArity.ZeroOrMore }.RejectingFlags();
    private readonly Option<long> _toRevision = new("--to-revision") { Description = "The revision to rollback to. Default to 0 (last revision)." };
    private readonly Option<string?> _dryRun = DryRunOption.Create();
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly CliEnvironment _env;

    public RolloutUndoCommand(CliEnvironment env)
        : base("undo", "Undo a previous rollout")
    {
        _env = env;
        Arguments.Add(_resources);
        Options.Add(_toRevision);
        Options.Add(_dryRun);
        Options.Add(_namespace);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var name = RolloutTarget.DaemonSet(parse.GetValue(_resources) ?? [],
            (kind, _) => $"error: no rollbacker has been implemented for \"{RolloutTarget.GroupKind(kind)}\"");
        var (dryRun, warning) = DryRunOption.Parse(parse, _dryRun);
        if (warning is not null)
        {
            await _env.Error.WriteLineAsync(warning);
        }

        var toRevision = parse.GetValue(_toRevision);
        var request = new RollbackRequest
        {
            Namespace = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace)),
            Name = name,
            ToRevision = toRevision,
            DryRun = dryRun != DryRunStrategy.None,
        };
        var response = await _env.Connect(parse).Client.RollbackAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        var suffix = DryRunOption.Suffix(dryRun);
        if (dryRun == DryRunStrategy.Client)
        {
            var template = new Describer(_env.Time.GetUtcNow(), _env.Time.LocalTimeZone).Template(response.DaemonSet.Spec.Template);
            await _env.Output.WriteLineAsync($"daemonset.apps/{name} will roll back to {template}{suffix}");
        }
        else if (response.Skipped)
        {
            await _env.Output.WriteLineAsync($"daemonset.apps/{name} skipped rollback (current template already matches revision {toRevision}){suffix}");
        }
        else
        {
            await _env.Output.WriteLineAsync($"daemonset.apps/{name} rolled back{suffix}");
        }

        return ExitCodes.Success;
    }
}
