using System.CommandLine;
using HostDaemons.Cli.Client;

namespace HostDaemons.Cli;

/// <summary>What every command uses: the standard streams, the clock, the environment and the connection.</summary>
internal sealed class CliEnvironment(TextWriter output, TextWriter error, TextReader input, IReadOnlyDictionary<string, string?> variables, TimeProvider time) : IDisposable
{
    private AdminConnection? _connection;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public TextReader Input { get; } = input;

    public TimeProvider Time { get; } = time;

    public Option<string?> ServerOption { get; } = new("--server", "-s")
    {
        Description = $"The address of the control plane (default: ${AdminConnection.ServerVariable}, else {AdminConnection.DefaultServer})",
        Recursive = true,
    };

    public Option<bool> VerboseOption { get; } = new("--verbose", "-v")
    {
        Description = "Print details of errors, such as stack traces",
        Recursive = true,
    };

    public AdminConnection Connect(ParseResult parse)
    {
        if (_connection is null)
        {
            var fromEnvironment = variables.GetValueOrDefault(AdminConnection.ServerVariable);
            _connection = new AdminConnection(parse.GetValue(ServerOption)
                ?? (string.IsNullOrEmpty(fromEnvironment) ? AdminConnection.DefaultServer : fromEnvironment));
        }

        return _connection;
    }

    public string ServerFor(ParseResult parse) => Connect(parse).Server;

    /// <summary>An environment variable of the caller (tests pass their own).</summary>
    public string? Variable(string name) => variables.GetValueOrDefault(name);

    public void Dispose() => _connection?.Dispose();
}
