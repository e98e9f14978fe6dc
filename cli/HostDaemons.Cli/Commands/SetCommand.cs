using System.CommandLine;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl set</c>: kubectl's set commands HostDaemons has (<c>image</c>).</summary>
internal sealed class SetCommand : Command
{
    public SetCommand(CliEnvironment env)
        : base("set", "Set specific features on objects")
    {
        Subcommands.Add(new SetImageCommand(env));
    }
}
