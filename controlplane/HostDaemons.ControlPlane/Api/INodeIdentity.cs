using Grpc.Core;

namespace HostDaemons.ControlPlane.Api;

/// <summary>Who is calling the node API. It comes from the connection, never from a request field, so that mutual TLS
/// can later take it from the client certificate without changing a message.</summary>
internal interface INodeIdentity
{
    string Resolve(ServerCallContext context);
}
