using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Security;
using HostDaemons.Model.Validation;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane.Joining;

/// <summary>
/// Issues node certificates: to a new host that brings a join token (<see cref="JoinAsync"/>), and to a node that
/// renews with its current certificate (<see cref="RenewAsync"/>). The subject is always built here
/// (<c>CN=system:node:NAME, O=system:nodes</c>, clientAuth only); from the request only the public key is taken. A node
/// name is bound to the first key that joins with it; another key is refused unless the token was made for that name
/// or an administrator reset the name's identity. Failed joins are audited and rate limited by source.
/// </summary>
internal sealed partial class NodeJoining(
    ClusterPki pki,
    JoinTokens tokens,
    NodeIdentities identities,
    JoinRateLimiter limiter,
    AuditLog audit,
    IOptions<ControlPlaneOptions> options,
    TimeProvider time,
    ILogger<NodeJoining> logger)
{
    public async Task<X509Certificate2> JoinAsync(IPAddress source, string tokenText, ReadOnlyMemory<byte> request, string nodeName, CancellationToken cancellationToken)
    {
        if (!limiter.TryEnter(source, out var retryAfter))
        {
            Log.RateLimited(logger, source, nodeName);
            audit.RecordEvent(JoinVerb, NodeRef(nodeName), new Dictionary<string, string>(), AuditStatus.HttpCode(StatusCode.ResourceExhausted, ""), "rate limited after too many failed attempts");
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"too many failed join attempts from {source}: retry in {Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s"));
        }

        if (!JoinToken.TryParse(tokenText, out var token, out var malformed))
        {
            throw Refuse(source, nodeName, null, StatusCode.Unauthenticated, $"invalid join token: {malformed}");
        }

        if (!CaPin.Matches(pki.Authority.Certificate, token.CaPin))
        {
            throw Refuse(source, nodeName, token.Id, StatusCode.Unauthenticated,
                "the join token is for another cluster: its CA pin does not match this control plane's CA");
        }

        var stored = tokens.Find(token.Id);
        if (stored is null)
        {
            throw Refuse(source, nodeName, token.Id, StatusCode.Unauthenticated, $"join token {token.Id} does not exist (it was deleted, or it expired)");
        }

        if (!JoinToken.SecretMatches(token.Secret, stored.SecretHash))
        {
            throw Refuse(source, nodeName, token.Id, StatusCode.Unauthenticated, $"wrong secret for join token {token.Id}");
        }

        var now = time.GetUtcNow();
        if (stored.IsExpired(now))
        {
            throw Refuse(source, nodeName, token.Id, StatusCode.Unauthenticated,
                $"join token {token.Id} expired at {stored.Expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}");
        }

        if (!NameValidation.IsDns1123Subdomain(nodeName))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"\"{nodeName}\" is not a valid node name: {NameValidation.Dns1123SubdomainMessage}"));
        }

        if (stored.NodeName.Length > 0 && stored.NodeName != nodeName)
        {
            throw Refuse(source, nodeName, token.Id, StatusCode.PermissionDenied, $"join token {token.Id} joins only node \"{stored.NodeName}\", not \"{nodeName}\"");
        }

        var key = PublicKeyOf(request);
        var keyHash = NodeCertificateRequests.KeyHash(key);
        if (!await identities.TryBindAsync(nodeName, keyHash, mayRebind: stored.NodeName == nodeName, cancellationToken).ConfigureAwait(false))
        {
            throw Refuse(source, nodeName, token.Id, StatusCode.AlreadyExists,
                $"node name \"{nodeName}\" already in use: it is bound to another host's key. Join with another --node-name, with a token made for this name "
                + $"(hdctl token create --node-name {nodeName}), or after hdctl node reset-identity {nodeName}");
        }

        var (certificate, issued) = await IssueAsync(nodeName, key, cancellationToken).ConfigureAwait(false);
        Log.Joined(logger, nodeName, source, token.Id, issued.Serial, issued.NotAfter);
        audit.RecordEvent(JoinVerb, NodeRef(nodeName), Issued(certificate, token.Id), user: BootstrapUser(token.Id));
        return certificate;
    }

    /// <summary>A new certificate for the node that called with its current one; a new key is bound to the name in place of the old.</summary>
    public async Task<X509Certificate2> RenewAsync(string nodeName, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var key = PublicKeyOf(request);
        await identities.TryBindAsync(nodeName, NodeCertificateRequests.KeyHash(key), mayRebind: true, cancellationToken).ConfigureAwait(false);
        var (certificate, issued) = await IssueAsync(nodeName, key, cancellationToken).ConfigureAwait(false);
        Log.Renewed(logger, nodeName, issued.Serial, issued.NotAfter);
        audit.RecordEvent("renew", NodeRef(nodeName), Issued(certificate, null));
        return certificate;
    }

    private async Task<(X509Certificate2 Certificate, IssuedCertificate Issued)> IssueAsync(string nodeName, PublicKey key, CancellationToken cancellationToken)
    {
        var certificate = pki.Authority.IssueClient(ClientSubject.Node(nodeName), key, time.GetUtcNow(), options.Value.NodeCertificateValidity);
        var issued = new IssuedCertificate(certificate.SerialNumber, new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        await identities.RecordIssuedAsync(nodeName, issued, cancellationToken).ConfigureAwait(false);
        return (certificate, issued);
    }

    private const string JoinVerb = "join";

    private static AuditObjectRef NodeRef(string nodeName) => new() { Resource = "nodes", Name = nodeName };

    /// <summary>Who joins with a token, as Kubernetes names a bootstrap token's user: the token's id, never its secret.</summary>
    private static AuditUser BootstrapUser(string tokenId) =>
        new(ClusterIdentities.BootstrapUserPrefix + tokenId, [ClusterIdentities.BootstrappersGroup, ClusterIdentities.AuthenticatedGroup]);

    private static Dictionary<string, string> Issued(X509Certificate2 certificate, string? tokenId)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AuditAnnotations.CertificateSerial] = certificate.SerialNumber,
            [AuditAnnotations.CertificateSubject] = certificate.Subject,
        };
        if (tokenId is not null)
        {
            annotations[AuditAnnotations.JoinTokenId] = tokenId;
        }

        return annotations;
    }

    private static PublicKey PublicKeyOf(ReadOnlyMemory<byte> request)
    {
        try
        {
            return NodeCertificateRequests.PublicKeyOf(request.Span);
        }
        catch (NodeCertificateRequestException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
    }

    private RpcException Refuse(IPAddress source, string nodeName, string? tokenId, StatusCode status, string reason)
    {
        var failures = limiter.RecordFailure(source, tokenId);
        Log.Refused(logger, source, nodeName, tokenId ?? "-", reason, failures);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (tokenId is not null)
        {
            annotations[AuditAnnotations.JoinTokenId] = tokenId;
        }

        audit.RecordEvent(JoinVerb, NodeRef(nodeName), annotations, AuditStatus.HttpCode(status, reason), reason, tokenId is null ? null : BootstrapUser(tokenId));
        return new RpcException(new Status(status, reason));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 740, Level = LogLevel.Information, Message = "Node {Node} joined from {Source} with token {TokenId}: certificate {Serial} valid until {NotAfter:u}")]
        public static partial void Joined(ILogger logger, string node, IPAddress source, string tokenId, string serial, DateTimeOffset notAfter);

        [LoggerMessage(EventId = 741, Level = LogLevel.Warning, Message = "Audit: join refused from {Source} for node \"{Node}\" with token {TokenId}: {Reason} ({Failures} failed attempts with this token)")]
        public static partial void Refused(ILogger logger, IPAddress source, string node, string tokenId, string reason, long failures);

        [LoggerMessage(EventId = 742, Level = LogLevel.Warning, Message = "Audit: join from {Source} for node \"{Node}\" rate limited after too many failed attempts")]
        public static partial void RateLimited(ILogger logger, IPAddress source, string node);

        [LoggerMessage(EventId = 743, Level = LogLevel.Information, Message = "Node {Node} renewed its certificate: {Serial} valid until {NotAfter:u}")]
        public static partial void Renewed(ILogger logger, string node, string serial, DateTimeOffset notAfter);
    }
}
