using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using HostDaemons.Api.V1;
using HostDaemons.Model.Security;

namespace HostDaemons.Agent.Joining;

/// <summary>The certificate a join or a renewal brought back, with the CA bundle the control plane sent with it (PEM).</summary>
internal sealed record IssuedCredentials(string CertificatePem, string CaBundlePem);

/// <summary>
/// The two unauthenticated calls a joining host makes, each on its own short-lived connection: fetching the CA bundle
/// while trusting nothing (the caller checks it against the token's pin before anything else is sent), then the join,
/// on a connection that accepts only a server certificate from the pinned CA.
/// </summary>
internal static class JoinClient
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The CA bundle the server offers. Nothing about the server is trusted: do not send it anything that matters.</summary>
    public static async Task<X509Certificate2Collection> FetchClusterCaAsync(Uri server, CancellationToken cancellationToken)
    {
        using var handler = Handler();
        handler.SslOptions.EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        handler.SslOptions.CertificateRevocationCheckMode = X509RevocationMode.NoCheck;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null;
        using var channel = Channel(server, handler);
        var response = await new JoinService.JoinServiceClient(channel)
            .GetClusterCaAsync(new GetClusterCaRequest(), deadline: DateTime.UtcNow + s_callTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        return CertificateTrust.ReadBundle(response.CaBundlePem);
    }

    /// <summary>Sends the token and the request to a server whose certificate must chain to <paramref name="authority"/>.</summary>
    public static async Task<IssuedCredentials> JoinAsync(Uri server, X509Certificate2 authority, string token, byte[] certificateRequest, string nodeName,
        CancellationToken cancellationToken)
    {
        var trust = new ClusterServerTrust([authority]);
        using var handler = Handler();
        trust.Apply(handler.SslOptions);
        using var channel = Channel(server, handler);
        var request = new JoinRequest { Token = token, CertificateRequest = Google.Protobuf.ByteString.CopyFrom(certificateRequest), NodeName = nodeName };
        try
        {
            var response = await new JoinService.JoinServiceClient(channel)
                .JoinAsync(request, deadline: DateTime.UtcNow + s_callTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new IssuedCredentials(response.CertificatePem, response.CaBundlePem);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && trust.LastFailure is { } failure)
        {
            throw new JoinFailedException($"the control plane's certificate is not from the pinned CA: {failure}", ex);
        }
    }

    private static SocketsHttpHandler Handler() => new() { ConnectTimeout = TimeSpan.FromSeconds(5) };

    private static GrpcChannel Channel(Uri server, HttpMessageHandler handler) =>
        GrpcChannel.ForAddress(server, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true, ThrowOperationCanceledOnCancellation = true });
}

/// <summary>A join that cannot work as given (no token, a token for another cluster); the message says what to do.</summary>
internal sealed class JoinFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The control plane's CA is not the one the token pins: the token was not sent, and trying again will not help.</summary>
internal sealed class CaPinMismatchException(string message) : Exception(message);
