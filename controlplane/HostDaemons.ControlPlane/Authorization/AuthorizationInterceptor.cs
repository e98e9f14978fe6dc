using Grpc.Core;
using Grpc.Core.Interceptors;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Objects;

namespace HostDaemons.ControlPlane.Authorization;

/// <summary>
/// RBAC on the admin API, right after authentication: the impersonation headers are resolved (the impersonated
/// identity is then the call's, for everything after), each access <see cref="AdminAccess"/> maps the call to is
/// authorized, and a write of an RBAC object passes the escalation check. A refusal is PermissionDenied with the API
/// server's message. The call's audit record gets the access and the decision. Other APIs (nodes, joining) pass through.
/// </summary>
internal sealed partial class AuthorizationInterceptor(
    AdminAccess access,
    IAccessAuthorizer authorizer,
    Impersonation impersonation,
    RbacEscalation escalation,
    ILogger<AuthorizationInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(request, context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(request, context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        RefuseStreamingRequests(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        RefuseStreamingRequests(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize(object request, ServerCallContext context)
    {
        if (!AdminAccess.Governs(context.Method))
        {
            return;
        }

        var caller = CallerIdentity.From(context)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the admin API needs an authenticated caller"));
        var audit = CallAudit.From(context);
        try
        {
            var acting = impersonation.Apply(caller, context.RequestHeaders);
            if (!ReferenceEquals(acting, caller))
            {
                acting.AttachTo(context);
                if (audit is not null)
                {
                    audit.AuthenticatedUser = caller;
                    audit.ImpersonatedUser = acting;
                }
            }

            foreach (var requested in access.For(context.Method, request, acting))
            {
                var decision = authorizer.Authorize(requested);
                if (audit is not null)
                {
                    audit.Access = requested;
                    audit.Decision = decision;
                }

                if (!decision.Allowed)
                {
                    throw new RpcException(new Status(StatusCode.PermissionDenied, ForbiddenMessages.Denied(requested, decision.Reason)));
                }
            }

            if (request is ApplyRequest { Object: { } written } && written.Unwrap() is { } value)
            {
                escalation.Check(value, acting);
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.PermissionDenied)
        {
            if (audit is not null)
            {
                audit.Decision = AccessDecision.Deny(ex.Status.Detail);
            }

            Log.Forbidden(logger, context.Method, ex.Status.Detail);
            throw;
        }
    }

    /// <summary>No admin method streams its requests; one that did would need its own mapping, so it is refused until then.</summary>
    private static void RefuseStreamingRequests(ServerCallContext context)
    {
        if (AdminAccess.Governs(context.Method))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"{context.Method.TrimStart('/')} has no authorization mapping"));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 782, Level = LogLevel.Information, Message = "Forbidden {Method}: {Message}")]
        public static partial void Forbidden(ILogger logger, string method, string message);
    }
}
