using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Joining;
using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Api;

/// <summary>A node renews its own client certificate, authenticated by the one it has: the name comes from that certificate.</summary>
internal sealed class NodeCertificateService(NodeJoining joining, ClusterPki pki) : HostDaemons.Api.V1.NodeCertificateService.NodeCertificateServiceBase
{
    public override async Task<RenewNodeCertificateResponse> RenewNodeCertificate(RenewNodeCertificateRequest request, ServerCallContext context)
    {
        var node = CallerIdentity.From(context) is { Method: AuthenticationMethod.ClientCertificate, NodeName: { } name }
            ? name
            : throw new RpcException(new Status(StatusCode.PermissionDenied, "only a node's client certificate can renew a node certificate"));
        var certificate = await joining.RenewAsync(node, request.CertificateRequest.Memory, context.CancellationToken).ConfigureAwait(false);
        return new RenewNodeCertificateResponse { CertificatePem = certificate.ExportCertificatePem(), CaBundlePem = pki.CaBundlePem };
    }
}
