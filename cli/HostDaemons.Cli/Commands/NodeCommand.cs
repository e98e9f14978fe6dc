using System.CommandLine;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl node reset-identity NAME</c>: what only HostDaemons has to say about a node, beside kubectl's verbs.</summary>
internal sealed class NodeCommand : Command
{
    public NodeCommand(CliEnvironment env)
        : base("node", "Manage a node's identity")
    {
        Subcommands.Add(new NodeResetIdentityCommand(env));
    }
}

/// <summary>
/// Frees a node name from the key it is bound to, so a host with a new key (a reinstalled machine) can join with that
/// name. Certificates already issued stay valid until they expire or the node is deleted.
/// </summary>
internal sealed class NodeResetIdentityCommand : Command
{
    private readonly Argument<string> _name = new("NAME") { Description = "The node's name" };
    private readonly CliEnvironment _env;

    public NodeResetIdentityCommand(CliEnvironment env)
        : base("reset-identity", "Let the next join for this node name bring another key")
    {
        _env = env;
        Arguments.Add(_name);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var name = parse.GetValue(_name)!;
        var response = await _env.Connect(parse).JoinAdmin.ResetNodeIdentityAsync(new ResetNodeIdentityRequest { NodeName = name },
            deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        await _env.Output.WriteLineAsync(response.WasBound ? $"node/{name} identity reset" : $"node/{name} identity was not bound to a key");
        return ExitCodes.Success;
    }
}
