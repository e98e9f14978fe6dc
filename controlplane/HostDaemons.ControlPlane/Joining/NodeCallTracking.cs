using Grpc.Core;
using Grpc.Core.Interceptors;
using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Joining;

/// <summary>
/// Registers every call made with a node's certificate in <see cref="NodeCalls"/> while it runs. Runs after
/// <see cref="AuthenticationInterceptor"/>, which has attached the caller.
/// </summary>
internal sealed class NodeCallTracking(NodeCalls calls) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var registration = Track(context);
        return await continuation(request, context).ConfigureAwait(false);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var registration = Track(context);
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var registration = Track(context);
        return await continuation(requestStream, context).ConfigureAwait(false);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var registration = Track(context);
        await continuation(requestStream, responseStream, context).ConfigureAwait(false);
    }

    private IDisposable? Track(ServerCallContext context) =>
        CallerIdentity.From(context) is { Method: AuthenticationMethod.ClientCertificate, NodeName: { } node }
            ? calls.Track(node, context.GetHttpContext())
            : null;
}
