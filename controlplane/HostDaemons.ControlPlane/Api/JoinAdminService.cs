using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Joining;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Security;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// hdctl token create|list|delete and hdctl node reset-identity. RBAC decides who may (<see cref="Authorization.AdminAccess"/>):
/// tokens are Secrets in kube-system, as kubeadm's bootstrap tokens, and resetting an identity is as deleting the node.
/// </summary>
internal sealed class JoinAdminService(JoinTokens tokens, NodeIdentities identities, ListenEndpoint listen, IServiceProvider services)
    : HostDaemons.Api.V1.JoinAdminService.JoinAdminServiceBase
{
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(365);

    public override async Task<CreateJoinTokenResponse> CreateJoinToken(CreateJoinTokenRequest request, ServerCallContext context)
    {
        if (listen.IsDevelopmentMode)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                "join tokens need a control plane that serves TLS (--listen https://...): in development mode (http://) agents join with --server alone"));
        }

        var ttl = request.TtlSeconds == 0 ? JoinTokens.DefaultTtl : TimeSpan.FromSeconds(request.TtlSeconds);
        if (ttl <= TimeSpan.Zero || ttl > MaxTtl)
        {
            throw ApiErrors.BadRequest($"--ttl must be more than 0 and at most {MaxTtl.TotalDays:0} days");
        }

        if (request.NodeName.Length > 0 && !NameValidation.IsDns1123Subdomain(request.NodeName))
        {
            throw ApiErrors.BadRequest($"--node-name \"{request.NodeName}\" is not a valid node name: {NameValidation.Dns1123SubdomainMessage}");
        }

        var pki = services.GetRequiredService<ClusterPki>();
        var (token, stored) = await tokens.CreateAsync(pki.Pin, ttl, request.NodeName, request.Description, context.CancellationToken).ConfigureAwait(false);
        return new CreateJoinTokenResponse { Token = token.ToString(), Info = Info(stored) };
    }

    public override Task<ListJoinTokensResponse> ListJoinTokens(ListJoinTokensRequest request, ServerCallContext context)
    {
        var response = new ListJoinTokensResponse();
        response.Tokens.Add(tokens.List().Select(Info));
        return Task.FromResult(response);
    }

    public override async Task<DeleteJoinTokenResponse> DeleteJoinToken(DeleteJoinTokenRequest request, ServerCallContext context)
    {
        var id = request.Id.StartsWith(JoinToken.Prefix, StringComparison.Ordinal) && JoinToken.TryParse(request.Id, out var token, out _) ? token.Id : request.Id;
        if (!await tokens.DeleteAsync(id, context.CancellationToken).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"bootstrap token \"{id}\" not found"));
        }

        return new DeleteJoinTokenResponse();
    }

    public override async Task<ResetNodeIdentityResponse> ResetNodeIdentity(ResetNodeIdentityRequest request, ServerCallContext context)
    {
        if (!NameValidation.IsDns1123Subdomain(request.NodeName))
        {
            throw ApiErrors.BadRequest($"\"{request.NodeName}\" is not a valid node name: {NameValidation.Dns1123SubdomainMessage}");
        }

        return new ResetNodeIdentityResponse { WasBound = await identities.ResetAsync(request.NodeName, context.CancellationToken).ConfigureAwait(false) };
    }

    private static JoinTokenInfo Info(StoredJoinToken token)
    {
        var info = new JoinTokenInfo
        {
            Id = token.Id,
            Expires = Timestamp.FromDateTimeOffset(token.Expires),
            NodeName = token.NodeName,
            Description = token.Description,
            Created = Timestamp.FromDateTimeOffset(token.Created == DateTimeOffset.MinValue ? DateTimeOffset.UnixEpoch : token.Created),
        };
        info.Usages.Add(StoredJoinToken.Usages);
        return info;
    }
}
