using System.CommandLine;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl rollout</c>: status, history, undo and restart of a DaemonSet; pause and resume answer as kubectl does for one.</summary>
internal sealed class RolloutCommand : Command
{
    public RolloutCommand(CliEnvironment env)
        : base("rollout", "Manage the rollout of a daemonset")
    {
        Subcommands.Add(new RolloutStatusCommand(env));
        Subcommands.Add(new RolloutHistoryCommand(env));
        Subcommands.Add(new RolloutUndoCommand(env));
        Subcommands.Add(new RolloutRestartCommand(env));
        Subcommands.Add(new RolloutPauseCommand(env, pause: true));
        Subcommands.Add(new RolloutPauseCommand(env, pause: false));
    }
}
