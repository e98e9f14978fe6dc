using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using HostDaemons.Api.V1;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.ControlPlane;

/// <summary>
/// The agent's one HTTP/2 connection to the control plane: keepalive pings so a dead link is noticed while idle,
/// retries of unary calls on Unavailable, and the node's identity on every call.
/// </summary>
internal sealed class NodeClientFactory : IDisposable
{
    public const string NodeHeader = "hostdaemons-node";

    private readonly GrpcChannel _channel;

    public NodeClientFactory(IOptions<AgentOptions> options)
    {
        var settings = options.Value;
        _channel = GrpcChannel.ForAddress(settings.Server, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(20),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            },
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
        });
        var node = settings.EffectiveNodeName;
        Client = new NodeService.NodeServiceClient(_channel.Intercept(metadata =>
        {
            metadata.Add(NodeHeader, node);
            return metadata;
        }));
    }

    public NodeService.NodeServiceClient Client { get; }

    public void Dispose() => _channel.Dispose();
}
