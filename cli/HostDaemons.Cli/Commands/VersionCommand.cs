using System.CommandLine;
using System.Reflection;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl version</c>: the client's version, and the server's when it answers.</summary>
internal sealed class VersionCommand : Command
{
    private readonly Option<bool> _client = new("--client") { Description = "Print the client version only" };
    private readonly CliEnvironment _env;

    public VersionCommand(CliEnvironment env)
        : base("version", "Print the client and server version information")
    {
        _env = env;
        Options.Add(_client);
        SetAction(RunAsync);
    }

    public static string ClientVersion { get; } = "v" + (typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        await _env.Output.WriteLineAsync($"Client Version: {ClientVersion}");
        if (parse.GetValue(_client))
        {
            return ExitCodes.Success;
        }

        var server = await _env.Connect(parse).Client.VersionAsync(new VersionRequest(), deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        await _env.Output.WriteLineAsync($"Server Version: v{server.Version}");
        return ExitCodes.Success;
    }
}
