using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using HostDaemons.Model.Serialization;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// Refuses a request message over <see cref="InputLimits.MaxRequestBytes"/> with Kubernetes' words, so an object too
/// big to store is refused when it is written, not later when it breaks every watcher it is sent to. gRPC itself cuts
/// off a message past <see cref="InputLimits.MaxGrpcReceiveBytes"/> before buffering it, with its own words.
/// </summary>
internal sealed class RequestSizeInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, responseStream, context);
    }

    public static void Check<TRequest>(TRequest request)
    {
        if (request is IMessage message && message.CalculateSize() > InputLimits.MaxRequestBytes)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, InputLimits.RequestEntityTooLarge));
        }
    }
}
