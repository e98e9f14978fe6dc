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
        Description = $"The address of the control plane (default: ${AdminConnection.ServerVariable}, else the kubeconfig's, else {AdminConnection.DefaultServer})",
        Recursive = true,
    };

    public Option<string?> KubeconfigOption { get; } = new("--kubeconfig")
    {
        Description = $"Path to the kubeconfig file to use (default: ${KubeconfigLoader.KubeconfigVariable}, else ~/.hostdaemons/config, else {KubeconfigLoader.SystemFile})",
        Recursive = true,
    };

    public Option<bool> VerboseOption { get; } = new("--verbose", "-v")
    {
        Description = "Print details of errors, such as stack traces",
        Recursive = true,
    };

    public Option<string?> AsOption { get; } = new("--as")
    {
        Description = "Username to impersonate for the operation. User could be a regular user or a service account in a namespace.",
        Recursive = true,
    };

    public Option<string[]> AsGroupOption { get; } = new("--as-group")
    {
        Description = "Group to impersonate for the operation, this flag can be repeated to specify multiple groups.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public AdminConnection Connect(ParseResult parse)
    {
        if (_connection is null)
        {
            var fromEnvironment = variables.GetValueOrDefault(AdminConnection.ServerVariable);
            var server = parse.GetValue(ServerOption) ?? (string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment);
            var settings = KubeconfigLoader.Resolve(server, parse.GetValue(KubeconfigOption), variables.GetValueOrDefault);
            _connection = new AdminConnection(settings with
            {
                ImpersonateUser = string.IsNullOrEmpty(parse.GetValue(AsOption)) ? null : parse.GetValue(AsOption),
                ImpersonateGroups = parse.GetValue(AsGroupOption) ?? [],
            });
        }

        return _connection;
    }

    public string ServerFor(ParseResult parse) => Connect(parse).Server;

    /// <summary>A failed call in kubectl's words, with the TLS reason when the handshake failed.</summary>
    public string DescribeError(Grpc.Core.RpcException exception, ParseResult parse)
    {
        var connection = Connect(parse);
        return ServerErrors.Describe(exception, connection.Server, connection.TlsFailure, connection.PresentsCertificate);
    }

    /// <summary>An environment variable of the caller (tests pass their own).</summary>
    public string? Variable(string name) => variables.GetValueOrDefault(name);

    public void Dispose() => _connection?.Dispose();
}
