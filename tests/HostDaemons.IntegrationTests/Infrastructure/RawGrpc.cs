using Grpc.Core;
using Grpc.Net.Client;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>
/// gRPC calls by method name with the messages as bytes: the control plane's, the agent's and hdctl's generated
/// types share one name each, so tests that speak to the API directly (as a stranger or a node would) do so here.
/// </summary>
internal static class RawGrpc
{
    private static readonly Marshaller<byte[]> s_bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    /// <summary>A unary call of <c>/SERVICE/METHOD</c>; the response's bytes.</summary>
    public static async Task<byte[]> UnaryAsync(GrpcChannel channel, string service, string method, byte[]? request = null, Metadata? headers = null) =>
        await channel.CreateCallInvoker().AsyncUnaryCall(
            new Method<byte[], byte[]>(MethodType.Unary, service, method, s_bytes, s_bytes), null, Options(headers), request ?? []);

    /// <summary>A server-streaming call; the caller reads the responses' bytes.</summary>
    public static AsyncServerStreamingCall<byte[]> ServerStreaming(GrpcChannel channel, string service, string method, byte[] request, CancellationToken cancellationToken) =>
        channel.CreateCallInvoker().AsyncServerStreamingCall(
            new Method<byte[], byte[]>(MethodType.ServerStreaming, service, method, s_bytes, s_bytes), null, new CallOptions(cancellationToken: cancellationToken), request);

    private static CallOptions Options(Metadata? headers) =>
        new(headers, DateTime.UtcNow + TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
}
