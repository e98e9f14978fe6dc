using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Model.Security;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Joining;

/// <summary>
/// Gets the node its credentials and keeps them current. A node without a certificate (or whose certificate expired
/// while the control plane was away) joins with its token: it fetches the CA trusting nothing, checks it against the
/// token's pin and stops, without sending the token, when it differs; then sends the token and a request for its key
/// (kept when it has one, so the name stays bound to it; else a new ECDSA P-256 key) to the pinned control plane, and
/// writes <c>node.key</c> (0600), <c>node.crt</c> and <c>ca.crt</c>. Renewal sends a request for the same key over the
/// node's authenticated connection. Every write is atomic, and the channel then moves to new connections presenting
/// the new certificate: the pods are not touched.
/// </summary>
internal sealed partial class NodeEnrollment(NodeClientFactory clients, IOptions<AgentOptions> options, TimeProvider time, ILogger<NodeEnrollment> logger)
    : IDisposable
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _writing = new(1, 1);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeCredentials Credentials => clients.Credentials;

    /// <summary>Completes the next time the node's certificate changes (joined or renewed).</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Joins when the node has no usable certificate; does nothing over a development-mode http:// control plane.</summary>
    public async Task EnsureCredentialsAsync(CancellationToken cancellationToken)
    {
        if (!clients.IsTls || HasUsableCertificate())
        {
            return;
        }

        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (HasUsableCertificate())
            {
                return;
            }

            var (token, source) = ReadToken();
            if (token is null)
            {
                throw new JoinFailedException(Credentials.Certificate is { } expired
                    ? $"the node certificate {Credentials.CertificateFile} expired at {expired.NotAfter.ToUniversalTime():u} and there is no join token to join again with: "
                        + "pass --join-token-file FILE with a token from hdctl token create"
                    : $"there is no node certificate in {Credentials.Directory} and no join token: pass --join-token-file FILE with a token from hdctl token create");
            }

            await JoinAsync(token, source, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Renews the certificate for the node's key over its authenticated connection.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var key = NodeKeys.Read(Credentials.KeyFile) ?? throw new JoinFailedException($"{Credentials.KeyFile} holds no ECDSA key to renew the certificate for");
            var previous = Credentials.Certificate?.SerialNumber ?? "";
            var request = new Api.V1.RenewNodeCertificateRequest
            {
                CertificateRequest = Google.Protobuf.ByteString.CopyFrom(NodeKeys.CertificateRequest(key, options.Value.EffectiveNodeName)),
            };
            var response = await clients.Certificates.RenewNodeCertificateAsync(request, deadline: time.GetUtcNow().UtcDateTime + s_callTimeout,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            var certificate = Install(response.CertificatePem, key, Credentials.Authorities, writeKey: false);
            var (serial, notAfter) = (certificate.SerialNumber, certificate.NotAfter.ToUniversalTime());
            Log.Renewed(logger, previous, serial, notAfter);
        }
        finally
        {
            _writing.Release();
        }
    }

    private bool HasUsableCertificate() =>
        Credentials.Certificate is { } certificate && Credentials.Authorities.Count > 0 && time.GetUtcNow() < certificate.NotAfter.ToUniversalTime();

    private async Task JoinAsync(JoinToken token, string source, CancellationToken cancellationToken)
    {
        var server = new Uri(options.Value.Server);
        var nodeName = options.Value.EffectiveNodeName;
        var offered = await JoinClient.FetchClusterCaAsync(server, cancellationToken).ConfigureAwait(false);
        var authority = offered.FirstOrDefault(c => CaPin.Matches(c, token.CaPin));
        if (authority is null)
        {
            var pins = offered.Count == 0 ? "none" : string.Join(", ", offered.Select(c => "sha256:" + CaPin.Compute(c)));
            var message = $"the control plane at {server} presents a CA ({pins}) that is not the one the join token from {source} pins (sha256:{token.CaPin}); "
                + "the token was not sent. Check --server, and that the token was created on this cluster";
            Log.PinMismatch(logger, message);
            throw new CaPinMismatchException(message);
        }

        var existing = NodeKeys.Read(Credentials.KeyFile);
        using var key = existing ?? NodeKeys.Generate();
        Log.Joining(logger, nodeName, server, token.Id, existing is null ? "a new key" : "its key");
        var issued = await JoinClient.JoinAsync(server, authority, token.ToString(), NodeKeys.CertificateRequest(key, nodeName), nodeName, cancellationToken)
            .ConfigureAwait(false);
        CredentialFiles.EnsurePrivateDirectory(Credentials.Directory);
        CredentialFiles.WritePublic(Credentials.CaFile, authority.ExportCertificatePem());
        var certificate = Install(issued.CertificatePem, key, [authority], writeKey: existing is null);
        var (serial, notAfter) = (certificate.SerialNumber, certificate.NotAfter.ToUniversalTime());
        Log.Joined(logger, nodeName, serial, notAfter);
    }

    /// <summary>Checks and writes the certificate (and the key, when new), then moves the channel to it.</summary>
    private X509Certificate2 Install(string certificatePem, ECDsa key, X509Certificate2Collection authorities, bool writeKey)
    {
        var certificate = X509Certificate2.CreateFromPem(certificatePem);
        if (NodeKeys.CheckIssued(certificate, key, authorities, time.GetUtcNow()) is { } problem)
        {
            throw new JoinFailedException($"the control plane returned a certificate this node cannot use: {problem}");
        }

        if (writeKey)
        {
            // The key before the certificate: a crash in between leaves a key without a certificate, which joins again with it.
            CredentialFiles.WritePrivate(Credentials.KeyFile, key.ExportPkcs8PrivateKeyPem());
        }

        CredentialFiles.WritePublic(Credentials.CertificateFile, certificatePem);
        clients.Reconnect();
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return certificate;
    }

    /// <summary>The token from <c>--join-token</c> (or HOSTDAEMONS_JOIN_TOKEN), else from <c>--join-token-file</c>, read now; null when there is none.</summary>
    private (JoinToken? Token, string Source) ReadToken()
    {
        var settings = options.Value;
        string text;
        string source;
        if (settings.JoinToken.Length > 0)
        {
            (text, source) = (settings.JoinToken, "--join-token");
        }
        else if (settings.JoinTokenFile.Length > 0 && File.Exists(settings.JoinTokenFile))
        {
            (text, source) = (File.ReadAllText(settings.JoinTokenFile).Trim(), settings.JoinTokenFile);
        }
        else
        {
            return (null, "");
        }

        return JoinToken.TryParse(text, out var token, out var error)
            ? (token, source)
            : throw new JoinFailedException($"{source}: {error}");
    }

    public void Dispose() => _writing.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Joining the cluster at {Server} as node {Node} with join token {TokenId} and {Key}")]
        public static partial void Joining(ILogger logger, string node, Uri server, string tokenId, string key);

        [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Joined as node {Node}: certificate {Serial} valid until {NotAfter:u}")]
        public static partial void Joined(ILogger logger, string node, string serial, DateTime notAfter);

        [LoggerMessage(EventId = 502, Level = LogLevel.Critical, Message = "Not joining: {Reason}")]
        public static partial void PinMismatch(ILogger logger, string reason);

        [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "Renewed the node certificate: {Previous} replaced by {Serial}, valid until {NotAfter:u}")]
        public static partial void Renewed(ILogger logger, string previous, string serial, DateTime notAfter);
    }
}
