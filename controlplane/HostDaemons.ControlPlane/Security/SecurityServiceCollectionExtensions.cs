using HostDaemons.ControlPlane;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// The control plane's security: the listen endpoint, the PKI (created when the listener is TLS), the TLS options,
    /// and the authentication every call passes (add <see cref="AuthenticationInterceptor"/> first among the gRPC
    /// interceptors). Token authentication and revocation are seams: register an <see cref="ITokenAuthenticator"/> or
    /// an <see cref="IRevokedCertificates"/> before calling this to replace the defaults.
    /// </summary>
    public static IServiceCollection AddControlPlaneSecurity(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => ListenEndpoint.Parse(sp.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.Listen));
        services.TryAddSingleton(sp => ClusterPki.Open(
            sp.GetRequiredService<IOptions<ControlPlaneOptions>>().Value,
            sp.GetRequiredService<ListenEndpoint>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ClusterPki>>()));
        services.TryAddSingleton<IRevokedCertificates, NoRevokedCertificates>();
        services.TryAddSingleton<ITokenAuthenticator, NoTokenAuthenticator>();
        services.TryAddSingleton<ClientCertificateValidator>();
        services.TryAddSingleton<ServerTls>();
        services.TryAddSingleton<CallerAuthenticator>();
        services.TryAddSingleton<AuthenticationInterceptor>();
        services.TryAddSingleton<HeaderNodeIdentity>();
        services.TryAddSingleton<INodeIdentity, CallerNodeIdentity>();
        services.AddHostedService<ServingCertificateRenewal>();
        return services;
    }
}
