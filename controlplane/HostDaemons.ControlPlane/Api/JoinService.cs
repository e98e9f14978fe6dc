using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Joining;
using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// The unauthenticated join API: the CA bundle a new host checks against its token's pin, and the join itself. Served
/// only over TLS: a development-mode control plane has no CA, and nodes there are named by header.
/// </summary>
internal sealed class JoinService(ListenEndpoint listen, IServiceProvider services) : HostDaemons.Api.V1.JoinService.JoinServiceBase
{
    public override Task<GetClusterCaResponse> GetClusterCa(GetClusterCaRequest request, ServerCallContext context) =>
        Task.FromResult(new GetClusterCaResponse { CaBundlePem = Pki().CaBundlePem });

    public override async Task<JoinResponse> Join(JoinRequest request, ServerCallContext context)
    {
        var pki = Pki();
        var source = context.GetHttpContext().Connection.RemoteIpAddress ?? System.Net.IPAddress.None;
        var certificate = await services.GetRequiredService<NodeJoining>()
            .JoinAsync(source, request.Token, request.CertificateRequest.Memory, request.NodeName, context.CancellationToken).ConfigureAwait(false);
        return new JoinResponse { CertificatePem = certificate.ExportCertificatePem(), CaBundlePem = pki.CaBundlePem };
    }

    private ClusterPki Pki() => listen.IsDevelopmentMode
        ? throw new RpcException(new Status(StatusCode.FailedPrecondition,
            "this control plane runs in development mode (http://): it has no CA, and nodes join it with --server and --node-name alone"))
        : services.GetRequiredService<ClusterPki>();
}
