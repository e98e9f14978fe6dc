using System.CommandLine;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// <c>hdctl rollout pause|resume ds/NAME</c>: Kubernetes pauses only Deployments, so for a DaemonSet (once it is found)
/// the answer is kubectl's: <c>error: daemonsets.apps "x" pausing is not supported</c>.
/// </summary>
internal sealed class RolloutPauseCommand : Command
{
    private readonly Argument<string[]> _resources = new Argument<string[]>("TYPE/NAME") { Arity = ArgumentArity.ZeroOrMore }.RejectingFlags();
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly CliEnvironment _env;
    private readonly bool _pause;

    public RolloutPauseCommand(CliEnvironment env, bool pause)
        : base(pause ? "pause" : "resume", pause ? "Mark the provided resource as paused (not supported for daemonsets)" : "Resume a paused resource (not supported for daemonsets)")
    {
        _env = env;
        _pause = pause;
        Arguments.Add(_resources);
        Options.Add(_namespace);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (kind, name) = RolloutTarget.Parse(parse.GetValue(_resources) ?? []);
        var reference = new ObjectReference { Kind = kind.Kind, Namespace = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace)), Name = name };
        if (!kind.Namespaced)
        {
            reference.Namespace = "";
        }

        // As kubectl, the object is read first: a missing one is NotFound, not "not supported".
        await _env.Connect(parse).Client.GetAsync(new GetRequest { Ref = reference }, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        throw new CliException($"error: {kind.QualifiedPlural} \"{name}\" {(_pause ? "pausing" : "resuming")} is not supported");
    }
}
