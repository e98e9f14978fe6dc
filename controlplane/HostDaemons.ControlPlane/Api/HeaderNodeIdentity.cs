using Grpc.Core;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>Plaintext connections on loopback: the node name is the <c>hostdaemons-node</c> call header set by the agent's channel.</summary>
internal sealed class HeaderNodeIdentity : INodeIdentity
{
    public const string HeaderName = "hostdaemons-node";

    public string Resolve(ServerCallContext context)
    {
        var name = context.RequestHeaders.GetValue(HeaderName);
        if (string.IsNullOrEmpty(name))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"the call carries no node identity (header {HeaderName})"));
        }

        if (!NameValidation.IsDns1123Subdomain(name))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"node name \"{name}\" is invalid: {NameValidation.Dns1123SubdomainMessage}"));
        }

        return name;
    }
}
