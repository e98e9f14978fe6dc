using Grpc.Core;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// The edge of every REST request, as the interceptors are of every gRPC call: who calls (the same
/// <see cref="CallerAuthenticator"/>; no credentials is <c>system:anonymous</c>, whom RBAC allows the public
/// information only), whom it impersonates, whether RBAC allows what it asks, and its audit line when it ends.
/// </summary>
internal sealed partial class RestCalls(
    CallerAuthenticator authenticator,
    Impersonation impersonation,
    IAccessAuthorizer authorizer,
    AuditLog auditLog,
    TimeProvider time,
    ILogger<RestCalls> logger)
{
    private static readonly CallerIdentity s_anonymous = new(ClusterIdentities.AnonymousUser, [ClusterIdentities.UnauthenticatedGroup], AuthenticationMethod.Anonymous);

    /// <summary>The call of <paramref name="http"/>, authenticated; throws Unauthenticated for credentials that are not valid.</summary>
    public async Task<RestCallContext> BeginAsync(HttpContext http)
    {
        var call = new RestCallContext(http, http.Request.Method + " " + http.Request.Path);
        var audit = new CallAudit();
        audit.AttachTo(call);
        call.UserState[s_receivedKey] = time.GetUtcNow();
        var connection = CallConnection.From(http);
        var headers = new Metadata();
        if (http.Request.Headers.Authorization is { Count: > 0 } authorization)
        {
            headers.Add("authorization", authorization.ToString());
        }

        var caller = await authenticator.AuthenticateAsync(connection, headers, http.RequestAborted).ConfigureAwait(false) ?? s_anonymous;
        caller.AttachTo(call);
        if (caller.ClaimsNode && caller.Method != AuthenticationMethod.DevelopmentMode)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"{caller} cannot use the Kubernetes API: node credentials are for the node API only"));
        }

        var acting = impersonation.Apply(caller, call.RequestHeaders);
        if (!ReferenceEquals(acting, caller))
        {
            acting.AttachTo(call);
            audit.AuthenticatedUser = caller;
            audit.ImpersonatedUser = acting;
        }

        return call;
    }

    public static CallerIdentity Caller(ServerCallContext call) =>
        CallerIdentity.From(call) ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the request carries no identity"));

    /// <summary>Throws Forbidden, with the API server's message, unless RBAC allows <paramref name="request"/>.</summary>
    public void Authorize(ServerCallContext call, in AccessRequest request)
    {
        var decision = authorizer.Authorize(request);
        if (CallAudit.From(call) is { } audit)
        {
            audit.Access = request;
            audit.Decision = decision;
        }

        if (!decision.Allowed)
        {
            var message = ForbiddenMessages.Denied(request, decision.Reason);
            Log.Forbidden(logger, request.Verb, message);
            throw new RpcException(new Status(StatusCode.PermissionDenied, message));
        }
    }

    /// <summary>Records the request's audit line (when an audit log is configured).</summary>
    public void End(HttpContext http, ServerCallContext? call, KubeRequest? request, string verb, int code, string? message)
    {
        if (!auditLog.Enabled)
        {
            return;
        }

        var audit = call is null ? null : CallAudit.From(call);
        var received = call is not null && call.UserState.TryGetValue(s_receivedKey, out var at) && at is DateTimeOffset time0 ? time0 : time.GetUtcNow();
        var annotations = new Dictionary<string, string>(audit?.Annotations ?? [], StringComparer.Ordinal);
        if (audit?.Decision is { } decision)
        {
            annotations[AuditInterceptor.DecisionAnnotation] = decision.Allowed ? "allow" : "forbid";
            if (decision.Reason.Length > 0)
            {
                annotations[AuditInterceptor.ReasonAnnotation] = decision.Reason;
            }
        }

        var source = http.Connection.RemoteIpAddress;
        auditLog.Record(new AuditEvent
        {
            AuditId = Guid.NewGuid().ToString(),
            RequestUri = http.Request.Path + http.Request.QueryString,
            Verb = verb,
            User = AuditInterceptor.UserOf(audit?.AuthenticatedUser ?? (call is null ? null : CallerIdentity.From(call))),
            ImpersonatedUser = audit?.ImpersonatedUser is { } impersonated ? AuditInterceptor.UserOf(impersonated) : null,
            SourceIps = source is null ? null : [(source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source).ToString()],
            UserAgent = http.Request.Headers.UserAgent is { Count: > 0 } agent ? agent.ToString() : null,
            ObjectRef = request is null ? null : new AuditObjectRef
            {
                Resource = request.Kind.Plural,
                Namespace = request.Namespace.Length > 0 ? request.Namespace : null,
                Name = request.Name.Length > 0 ? request.Name : null,
                ApiGroup = request.Kind.Group.Length > 0 ? request.Kind.Group : null,
                Subresource = request.Subresource.Length > 0 ? request.Subresource : null,
            },
            ResponseStatus = new AuditResponseStatus(code, code < 400 ? null : message),
            RequestReceivedTimestamp = AuditEvent.MicroTime(received),
            StageTimestamp = AuditEvent.MicroTime(time.GetUtcNow()),
            Annotations = annotations.Count == 0 ? null : annotations,
        });
    }

    private static readonly object s_receivedKey = new();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Forbidden REST {Verb}: {Message}")]
        public static partial void Forbidden(ILogger logger, string verb, string message);
    }
}
