using System.CommandLine;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl rollout history ds/NAME [--revision N]</c>: the DaemonSet's revisions with their change cause, or one revision's template.</summary>
internal sealed class RolloutHistoryCommand : Command
{
    private readonly Argument<string[]> _resources = new Argument<string[]>("TYPE/NAME") { Arity = ArgumentArity.ZeroOrMore }.RejectingFlags();
    private readonly Option<long> _revision = new("--revision") { Description = "See the details, including podTemplate of the revision specified" };
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly CliEnvironment _env;

    public RolloutHistoryCommand(CliEnvironment env)
        : base("history", "View rollout history")
    {
        _env = env;
        Arguments.Add(_resources);
        Options.Add(_revision);
        Options.Add(_namespace);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var name = RolloutTarget.DaemonSet(parse.GetValue(_resources) ?? [],
            (kind, _) => $"error: no history viewer has been implemented for \"{RolloutTarget.GroupKind(kind)}\"");
        var revision = parse.GetValue(_revision);
        if (revision < 0)
        {
            throw new CliException($"error: revision must be a positive integer: {revision}");
        }

        var ns = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace));
        var client = _env.Connect(parse).Client;
        var reference = new ObjectReference { Kind = ResourceKind.DaemonSet, Namespace = ns, Name = name };
        var ds = (DaemonSet)(await client.GetAsync(new GetRequest { Ref = reference }, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken)).Unwrap()!;
        var list = await client.ListAsync(new ListRequest { Kind = ResourceKind.ControllerRevision, Namespace = ns },
            deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        var history = list.Items.Select(i => i.ControllerRevision)
            .Where(r => r?.Metadata.ControllerRef()?.Uid == ds.Metadata.Uid)
            .ToList();
        if (revision > 0)
        {
            var found = history.FirstOrDefault(r => r.Revision == revision) ?? throw new CliException("error: unable to find the specified revision");
            var template = new Describer(_env.Time.GetUtcNow(), _env.Time.LocalTimeZone).Template(found.Data?.Spec?.Template?.ToPodTemplate());
            await _env.Output.WriteAsync($"daemonset.apps/{name} with revision #{revision}\n{template}\n");
            return ExitCodes.Success;
        }

        await _env.Output.WriteAsync($"daemonset.apps/{name} \n{RolloutHistoryText.Table(history)}\n");
        return ExitCodes.Success;
    }
}
