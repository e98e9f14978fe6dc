using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.Model.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The TLS side of the listener, per connection: TLS 1.2 or 1.3, the current serving certificate (so a renewal reaches
/// the next handshake), ALPN h2 and http/1.1 (Kestrel's, from the listener's protocols), and a client certificate
/// asked for but not required (the join and CA-bundle calls come without one). A certificate that is presented must
/// have been issued by the cluster CA for clientAuth (<see cref="ClientCertificateValidator.CheckIssuer"/>), or the
/// handshake fails: a stranger's certificate never gets a connection. Whether a call needs a certificate, and whether
/// it is still valid and not revoked, is <see cref="AuthenticationInterceptor"/>'s decision, per call.
/// </summary>
internal sealed partial class ServerTls(ClusterPki pki, ClientCertificateValidator validator, TimeProvider time, ILogger<ServerTls> logger)
{
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    public TlsHandshakeCallbackOptions CallbackOptions => new()
    {
        OnConnection = context => ValueTask.FromResult(OptionsFor(context.Connection.RemoteEndPoint?.ToString())),
        HandshakeTimeout = HandshakeTimeout,
    };

    internal SslServerAuthenticationOptions OptionsFor(string? peer) => new()
    {
        ServerCertificateContext = pki.Serving.Context,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateRequired = true,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        CertificateChainPolicy = CertificateTrust.Policy(pki.Authorities, CertificatePurposes.ClientAuth, time.GetUtcNow(), ignoreTime: true),
        RemoteCertificateValidationCallback = (_, certificate, _, errors) => Accept(certificate, errors, peer),
    };

    private bool Accept(X509Certificate? certificate, SslPolicyErrors errors, string? peer)
    {
        // SslStream built the chain with the policy above (the cluster CA alone, clientAuth): with no errors there is
        // nothing to check again. Building it a second time cost a tenth of every handshake (docs/benchmarks.md).
        if (certificate is null || errors == SslPolicyErrors.None)
        {
            return true;
        }

        var client = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (validator.CheckIssuer(client) is not { } failure)
        {
            return true;
        }

        Log.ClientCertificateRefused(logger, peer ?? "?", client.Subject, client.Issuer, client.SerialNumber, failure);
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 720, Level = LogLevel.Warning,
            Message = "TLS handshake from {Peer} refused: client certificate \"{Subject}\" issued by \"{Issuer}\" (serial {Serial}): {Reason}")]
        public static partial void ClientCertificateRefused(ILogger logger, string peer, string subject, string issuer, string serial, string reason);
    }
}
