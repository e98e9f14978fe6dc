using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// What a call's connection tells about its caller. <see cref="ViaLocalSocket"/>: it came through the development
/// listener's private Unix socket (<see cref="CleartextProtocols"/>), which only relays the loopback port's connections.
/// </summary>
internal readonly record struct CallConnection(bool IsTls, X509Certificate2? ClientCertificate, IPAddress? LocalAddress, bool ViaLocalSocket = false)
{
    public static CallConnection From(HttpContext http) => new(http.Request.IsHttps, http.Connection.ClientCertificate, http.Connection.LocalIpAddress,
        http.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionItemsFeature>()?.Items.ContainsKey(CleartextProtocols.LocalSocketItem) == true);
}

/// <summary>
/// Turns a call's connection and headers into an identity. Over TLS: the client certificate (the TLS handshake has
/// already checked it against the CA; its time and revocation are checked again here), else an
/// <c>Authorization: Bearer</c> token through <see cref="ITokenAuthenticator"/>; the <c>hostdaemons-node</c> header
/// means nothing. In plaintext development mode, on a loopback connection: the development administrator. Credentials
/// that are presented and not valid are <see cref="StatusCode.Unauthenticated"/>; no credentials is null.
/// </summary>
internal sealed class CallerAuthenticator(ListenEndpoint listen, IServiceProvider services, ITokenAuthenticator tokens)
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>
    /// The identity read from each connection's certificate (Kestrel keeps one instance per connection), so a call reads
    /// the subject once per connection, not once per call; an entry goes with its certificate.
    /// </summary>
    private readonly ConditionalWeakTable<X509Certificate2, CallerIdentity> _identities = [];

    private ClientCertificateValidator? _validator;

    public async ValueTask<CallerIdentity?> AuthenticateAsync(CallConnection connection, Metadata headers, CancellationToken cancellationToken)
    {
        if (!connection.IsTls)
        {
            // Only a development-mode listener serves plaintext; a loopback peer is what it was promised.
            return listen.IsDevelopmentMode
                && (connection.ViaLocalSocket || (connection.LocalAddress is { } local && IPAddress.IsLoopback(local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local)))
                ? CallerIdentity.DevelopmentAdministrator
                : throw Unauthenticated("plaintext calls are only accepted by a development-mode control plane on a loopback address");
        }

        if (connection.ClientCertificate is { } certificate)
        {
            _validator ??= services.GetRequiredService<ClientCertificateValidator>();
            if (_validator.Recheck(certificate) is { } failure)
            {
                throw Unauthenticated(failure);
            }

            if (_identities.TryGetValue(certificate, out var known))
            {
                return known;
            }

            var identity = CertificateIdentities.From(certificate, out var problem) ?? throw Unauthenticated(problem!);
            _identities.TryAdd(certificate, identity);
            return identity;
        }

        var authorization = headers.GetValue("authorization");
        if (authorization is null)
        {
            return null;
        }

        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || authorization.Length == BearerPrefix.Length)
        {
            throw Unauthenticated("the Authorization header must be \"Bearer TOKEN\"");
        }

        return await tokens.AuthenticateAsync(authorization[BearerPrefix.Length..].Trim(), cancellationToken).ConfigureAwait(false)
            ?? throw Unauthenticated("invalid bearer token");
    }

    private static RpcException Unauthenticated(string reason) => new(new Status(StatusCode.Unauthenticated, reason));
}
