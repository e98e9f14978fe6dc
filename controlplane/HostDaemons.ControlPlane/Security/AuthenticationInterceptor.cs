using Grpc.Core;
using Grpc.Core.Interceptors;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The edge every call passes first: who is calling (<see cref="CallerAuthenticator"/>), and whether that kind of
/// caller may use this API (<see cref="ApiAccessPolicy"/>): the role is checked, not only the CA. A node's certificate
/// on the admin API, or a user's on the node API, is <see cref="StatusCode.PermissionDenied"/>; no credentials where
/// they are needed is <see cref="StatusCode.Unauthenticated"/>. The identity is attached to the call
/// (<see cref="CallerIdentity.From"/>). All four call shapes are intercepted, so none can slip past.
/// </summary>
internal sealed partial class AuthenticationInterceptor(CallerAuthenticator authenticator, ILogger<AuthenticationInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context).ConfigureAwait(false);
        return await continuation(request, context).ConfigureAwait(false);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context).ConfigureAwait(false);
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context).ConfigureAwait(false);
        return await continuation(requestStream, context).ConfigureAwait(false);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context).ConfigureAwait(false);
        await continuation(requestStream, responseStream, context).ConfigureAwait(false);
    }

    private async ValueTask AdmitAsync(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var connection = CallConnection.From(http);
        try
        {
            var caller = await authenticator.AuthenticateAsync(connection, context.RequestHeaders, context.CancellationToken).ConfigureAwait(false);
            // Attached before the policy decides, so that a refused call is audited with the caller it refused.
            caller?.AttachTo(context);
            Authorize(caller, context.Method);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            Log.Refused(logger, context.Method, context.Peer, ex.StatusCode, ex.Status.Detail);
            throw;
        }
    }

    /// <summary>Throws unless <paramref name="caller"/> may call <paramref name="method"/>.</summary>
    internal static void Authorize(CallerIdentity? caller, string method)
    {
        var audience = ApiAccessPolicy.For(method);
        if (audience == ApiAudience.Anyone)
        {
            return;
        }

        if (caller is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                $"{ApiAccessPolicy.Describe(method)} needs a client certificate issued by the cluster CA (or a bearer token), and the connection presented none"));
        }

        if (caller.Method == AuthenticationMethod.DevelopmentMode)
        {
            return;
        }

        switch (audience)
        {
            case ApiAudience.Nodes when caller.NodeName is null:
                throw new RpcException(new Status(StatusCode.PermissionDenied,
                    $"{caller} cannot use {ApiAccessPolicy.Describe(method)}: only nodes (system:node:NAME in group system:nodes) may"));
            case ApiAudience.Users when caller.ClaimsNode:
                throw new RpcException(new Status(StatusCode.PermissionDenied,
                    $"{caller} cannot use {ApiAccessPolicy.Describe(method)}: node credentials are for the node API only"));
            case ApiAudience.Nodes or ApiAudience.Users:
                return;
            default:
                throw new RpcException(new Status(StatusCode.PermissionDenied, $"{caller} cannot use {method.TrimStart('/')}: no access policy covers it"));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 730, Level = LogLevel.Warning, Message = "Refused {Method} from {Peer}: {Status}: {Reason}")]
        public static partial void Refused(ILogger logger, string method, string peer, StatusCode status, string reason);
    }
}
