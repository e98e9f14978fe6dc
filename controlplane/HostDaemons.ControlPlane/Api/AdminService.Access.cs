using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Api;

/// <summary>kubectl auth can-i and auth whoami: the caller's own access, after impersonation.</summary>
internal sealed partial class AdminService
{
    public override Task<AccessReviewResponse> AccessReview(AccessReviewRequest request, ServerCallContext context) =>
        Task.FromResult(reviews.Review(request, Caller(context)));

    public override Task<RulesReviewResponse> RulesReview(RulesReviewRequest request, ServerCallContext context) =>
        Task.FromResult(reviews.Rules(request, Caller(context)));

    public override Task<WhoAmIResponse> WhoAmI(WhoAmIRequest request, ServerCallContext context) =>
        Task.FromResult(Authorization.AccessReviews.WhoAmI(Caller(context)));

    private static CallerIdentity Caller(ServerCallContext context) =>
        CallerIdentity.From(context) ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the call carries no identity"));
}
