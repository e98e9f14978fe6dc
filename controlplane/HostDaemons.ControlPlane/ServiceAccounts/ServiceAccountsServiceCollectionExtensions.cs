using HostDaemons.ControlPlane;
using HostDaemons.ControlPlane.Security;
using HostDaemons.ControlPlane.ServiceAccounts;
using HostDaemons.ControlPlane.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ServiceAccountsServiceCollectionExtensions
{
    /// <summary>
    /// Service account tokens: the signing key, the issuer, and bearer token authentication as the union of the token
    /// file (first, when <c>--token-auth-file</c> is set) and service account JWTs. Call before
    /// <see cref="AuditingServiceCollectionExtensions.AddTokenFileAuthentication"/>, whose default is the file alone.
    /// </summary>
    public static IServiceCollection AddServiceAccountTokens(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ControlPlaneOptions>>().Value;
            return ServiceAccountSigningKey.Open(options.ServiceAccountSigningKeyFile, options.DataDir);
        });
        services.TryAddSingleton(sp => new ServiceAccountTokens(
            sp.GetRequiredService<ServiceAccountSigningKey>(),
            sp.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.ServiceAccountIssuer,
            sp.GetRequiredService<IObjectStore>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ServiceAccountTokenAuthenticator(
            new Lazy<ServiceAccountTokens>(sp.GetRequiredService<ServiceAccountTokens>),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ServiceAccountTokenAuthenticator>>()));
        services.TryAddSingleton<ITokenAuthenticator>(sp => new UnionTokenAuthenticator(
            [.. sp.GetRequiredService<TokenFile>().Authenticator is { } file ? [file] : Array.Empty<ITokenAuthenticator>(), sp.GetRequiredService<ServiceAccountTokenAuthenticator>()]));
        return services;
    }
}
