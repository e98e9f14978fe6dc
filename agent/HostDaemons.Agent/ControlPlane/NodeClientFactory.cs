using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using HostDaemons.Api.V1;
using HostDaemons.Model.Security;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.ControlPlane;

/// <summary>
/// The agent's one HTTP/2 connection to the control plane: keepalive pings so a dead link is noticed while idle,
/// retries of unary calls on Unavailable, and the node's identity on every call: over https://, its client
/// certificate (<see cref="NodeCredentials"/>), with only the cluster CA trusted; over a development-mode http://
/// control plane, the <c>hostdaemons-node</c> header.
/// </summary>
internal sealed class NodeClientFactory : IDisposable
{
    public const string NodeHeader = "hostdaemons-node";

    private readonly GrpcChannel _channel;
    private readonly ReplaceableHttpHandler _handler;
    private readonly bool _tls;

    public NodeClientFactory(IOptions<AgentOptions> options)
        : this(options, new NodeCredentials(options))
    {
    }

    public NodeClientFactory(IOptions<AgentOptions> options, NodeCredentials credentials)
    {
        var settings = options.Value;
        _tls = settings.Server.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        Credentials = credentials;
        _handler = new ReplaceableHttpHandler(CreateHandler());
        _channel = GrpcChannel.ForAddress(settings.Server, new GrpcChannelOptions
        {
            HttpHandler = _handler,
            ServiceConfig = new ServiceConfig
            {
                MethodConfigs =
                {
                    new MethodConfig
                    {
                        Names = { MethodName.Default },
                        RetryPolicy = new RetryPolicy
                        {
                            MaxAttempts = 3,
                            InitialBackoff = TimeSpan.FromMilliseconds(200),
                            MaxBackoff = TimeSpan.FromSeconds(2),
                            BackoffMultiplier = 2,
                            RetryableStatusCodes = { StatusCode.Unavailable },
                        },
                    },
                },
            },
            ThrowOperationCanceledOnCancellation = true,

            // A snapshot holds every pod of the node, each within the write limit the control plane enforces; a cap
            // here would cut the agent off for good the first time its pods added up past it.
            MaxReceiveMessageSize = null,
        });
        var node = settings.EffectiveNodeName;
        Client = _tls
            ? new NodeService.NodeServiceClient(_channel)
            : new NodeService.NodeServiceClient(_channel.Intercept(metadata =>
            {
                metadata.Add(NodeHeader, node);
                return metadata;
            }));
        Certificates = new NodeCertificateService.NodeCertificateServiceClient(_channel);
    }

    /// <summary>Whether the control plane is spoken to over TLS, with a client certificate.</summary>
    public bool IsTls => _tls;

    /// <summary>The node's own certificate renewal, over the same connection.</summary>
    public NodeCertificateService.NodeCertificateServiceClient Certificates { get; }

    /// <summary>
    /// Reads the credentials again (after a join or a renewal wrote them) and moves the channel to new connections
    /// that present them and trust the CA read; calls still open on the old connections end.
    /// </summary>
    public void Reconnect()
    {
        Credentials.Reload();
        _handler.Replace(CreateHandler());
    }

    private SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (_tls)
        {
            Trust = new ClusterServerTrust(Credentials.Authorities);
            handler.SslOptions = Credentials.TlsOptions(Trust);
        }

        return handler;
    }

    public NodeService.NodeServiceClient Client { get; }

    /// <summary>The node's certificate and trusted CA; reload them after writing new files.</summary>
    public NodeCredentials Credentials { get; }

    /// <summary>The check of the control plane's certificate, over https://; its <see cref="ClusterServerTrust.LastFailure"/> says why one was refused.</summary>
    public ClusterServerTrust? Trust { get; private set; }

    public void Dispose()
    {
        _channel.Dispose();
        _handler.Dispose();
    }
}
