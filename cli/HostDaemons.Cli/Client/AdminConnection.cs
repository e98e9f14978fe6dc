using Grpc.Net.Client;
using HostDaemons.Api.V1;

namespace HostDaemons.Cli.Client;

/// <summary>The connection to the control plane, opened on first use.</summary>
internal sealed class AdminConnection(string server) : IDisposable
{
    public const string ServerVariable = "HOSTDAEMONS_SERVER";
    public const string DefaultServer = "http://127.0.0.1:7070";

    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(30);

    private GrpcChannel? _channel;
    private AdminService.AdminServiceClient? _client;

    public string Server { get; } = server;

    public AdminService.AdminServiceClient Client
    {
        get
        {
            if (_client is null)
            {
                if (!Uri.TryCreate(Server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    throw new CliException($"error: invalid server address \"{Server}\": use http://HOST:PORT");
                }

                _channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions
                {
                    HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) },
                    ThrowOperationCanceledOnCancellation = true,
                });
                _client = new AdminService.AdminServiceClient(_channel);
            }

            return _client;
        }
    }

    /// <summary>The deadline for a unary call.</summary>
    public static DateTime Deadline() => DateTime.UtcNow + s_callTimeout;

    public void Dispose() => _channel?.Dispose();
}
