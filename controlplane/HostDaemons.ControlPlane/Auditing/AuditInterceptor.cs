using Grpc.Core;
using Grpc.Core.Interceptors;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.Auditing;

/// <summary>
/// The outermost interceptor: attaches a <see cref="CallAudit"/> to every call and, when the call ends, records one
/// Metadata-level line for it (when an audit log is configured; the record is attached either way, for the code that
/// fills it): the caller (anonymous when it was refused before it was known), the verb and object,
/// the status as HTTP, and the authorization decision. Registered before authentication, so refused calls are
/// audited too. Never reads a request body beyond the names in it.
/// </summary>
internal sealed class AuditInterceptor(AuditLog log, TimeProvider time) : Interceptor
{
    public const string DecisionAnnotation = "authorization.k8s.io/decision";
    public const string ReasonAnnotation = "authorization.k8s.io/reason";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var (audit, received) = Begin(context);
        try
        {
            var response = await continuation(request, context).ConfigureAwait(false);
            End(context, audit, request, received, null);
            return response;
        }
        catch (Exception ex)
        {
            End(context, audit, request, received, ex);
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var (audit, received) = Begin(context);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            End(context, audit, request, received, null);
        }
        catch (Exception ex)
        {
            End(context, audit, request, received, ex);
            throw;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var (audit, received) = Begin(context);
        try
        {
            var response = await continuation(requestStream, context).ConfigureAwait(false);
            End(context, audit, null, received, null);
            return response;
        }
        catch (Exception ex)
        {
            End(context, audit, null, received, ex);
            throw;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var (audit, received) = Begin(context);
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
            End(context, audit, null, received, null);
        }
        catch (Exception ex)
        {
            End(context, audit, null, received, ex);
            throw;
        }
    }

    private (CallAudit Audit, DateTimeOffset Received) Begin(ServerCallContext context)
    {
        var audit = new CallAudit();
        audit.AttachTo(context);
        AuditLog.EnterCall(context);
        return (audit, time.GetUtcNow());
    }

    private void End(ServerCallContext context, CallAudit audit, object? request, DateTimeOffset received, Exception? failure)
    {
        AuditLog.LeaveCall();
        if (!log.Enabled)
        {
            return;
        }

        var (code, detail) = failure switch
        {
            null => (StatusCode.OK, ""),
            RpcException rpc => (rpc.StatusCode, rpc.Status.Detail),
            OperationCanceledException when context.CancellationToken.IsCancellationRequested => (StatusCode.Cancelled, "the client cancelled the call"),
            _ => (StatusCode.Internal, "internal error"),
        };
        log.Record(Build(context, audit, request, received, code, detail));
    }

    internal AuditEvent Build(ServerCallContext context, CallAudit audit, object? request, DateTimeOffset received, StatusCode code, string detail)
    {
        var (verb, objectRef) = CallDescriptions.Describe(context.Method, audit, request);
        var annotations = new Dictionary<string, string>(audit.Annotations, StringComparer.Ordinal);
        if ((audit.Decision ?? ImpliedDecision(code, detail)) is { } decision)
        {
            annotations[DecisionAnnotation] = decision.Allowed ? "allow" : "forbid";
            if (decision.Reason.Length > 0)
            {
                annotations[ReasonAnnotation] = decision.Reason;
            }
        }

        var http = context.GetHttpContext();
        return new AuditEvent
        {
            AuditId = Guid.NewGuid().ToString(),
            RequestUri = context.Method,
            Verb = verb,
            User = UserOf(audit.AuthenticatedUser ?? CallerIdentity.From(context)),
            ImpersonatedUser = audit.ImpersonatedUser is { } impersonated ? UserOf(impersonated) : null,
            SourceIps = SourceIpsOf(context),
            UserAgent = http.Request.Headers.UserAgent is { Count: > 0 } agent ? agent.ToString() : null,
            ObjectRef = objectRef,
            ResponseStatus = new AuditResponseStatus(AuditStatus.HttpCode(code, detail), code == StatusCode.OK ? null : detail),
            RequestReceivedTimestamp = AuditEvent.MicroTime(received),
            StageTimestamp = AuditEvent.MicroTime(time.GetUtcNow()),
            Annotations = annotations.Count == 0 ? null : annotations,
        };
    }

    /// <summary>The peer's address; an IPv4 peer on a dual-stack socket is written as plain IPv4.</summary>
    internal static IReadOnlyList<string>? SourceIpsOf(ServerCallContext context) =>
        context.GetHttpContext().Connection.RemoteIpAddress is { } source ? [(source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source).ToString()] : null;

    /// <summary>The caller as Kubernetes' audit names it; a caller refused before it was known is <c>system:anonymous</c>.</summary>
    internal static AuditUser UserOf(CallerIdentity? caller) => caller is null
        ? new AuditUser(ClusterIdentities.AnonymousUser, [ClusterIdentities.UnauthenticatedGroup])
        : new AuditUser(caller.User, caller.Groups);

    /// <summary>
    /// The decision when no authorizer recorded one: a PermissionDenied call was forbidden (by the API's audience
    /// policy or a service's own check), an unauthenticated one was never authorized, anything else was allowed.
    /// </summary>
    private static AccessDecision? ImpliedDecision(StatusCode code, string detail) => code switch
    {
        StatusCode.PermissionDenied => AccessDecision.Deny(detail),
        StatusCode.Unauthenticated => null,
        _ => AccessDecision.Allow(""),
    };
}
