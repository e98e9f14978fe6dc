using Grpc.Core;
using HostDaemons.ControlPlane.Api;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The node a node-API call acts for: over TLS, the name in the caller's certificate (<c>system:node:NAME</c>), and
/// the <c>hostdaemons-node</c> header is ignored; in plaintext development mode, the header.
/// </summary>
internal sealed class CallerNodeIdentity(HeaderNodeIdentity header) : INodeIdentity
{
    public string Resolve(ServerCallContext context) => CallerIdentity.From(context) switch
    {
        { Method: AuthenticationMethod.DevelopmentMode } => header.Resolve(context),
        { NodeName: { } name } => name,
        var caller => throw new RpcException(new Status(StatusCode.PermissionDenied,
            $"{caller?.ToString() ?? "an anonymous caller"} is not a node: node calls need a node's client certificate")),
    };
}
