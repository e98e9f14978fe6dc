using System.CommandLine;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// <c>hdctl rollout restart ds/NAME</c>: kubectl's <c>kubectl.kubernetes.io/restartedAt</c> annotation on the pod
/// template, so every pod is replaced as the update strategy says.
/// </summary>
internal sealed class RolloutRestartCommand : Command
{
    private readonly Argument<string[]> _resources = new Argument<string[]>("TYPE/NAME") { Arity = ArgumentArity.ZeroOrMore }.RejectingFlags();
    private readonly Option<string?> _dryRun = DryRunOption.Create();
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly CliEnvironment _env;

    public RolloutRestartCommand(CliEnvironment env)
        : base("restart", "Restart a resource")
    {
        _env = env;
        Arguments.Add(_resources);
        Options.Add(_dryRun);
        Options.Add(_namespace);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var name = RolloutTarget.DaemonSet(parse.GetValue(_resources) ?? [],
            (kind, name) => $"error: {kind.QualifiedPlural} \"{name}\" restarting is not supported");
        var (dryRun, warning) = DryRunOption.Parse(parse, _dryRun);
        if (warning is not null)
        {
            await _env.Error.WriteLineAsync(warning);
        }

        var request = new RestartRolloutRequest
        {
            Namespace = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace)),
            Name = name,
            DryRun = dryRun != DryRunStrategy.None,
        };
        await _env.Connect(parse).Client.RestartRolloutAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        await _env.Output.WriteLineAsync($"daemonset.apps/{name} restarted{DryRunOption.Suffix(dryRun)}");
        return ExitCodes.Success;
    }
}
