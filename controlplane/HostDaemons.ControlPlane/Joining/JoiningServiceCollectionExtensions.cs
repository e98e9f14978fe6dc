using HostDaemons.ControlPlane.Joining;
using HostDaemons.ControlPlane.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class JoiningServiceCollectionExtensions
{
    /// <summary>
    /// Join tokens, node identities, node certificates and their revocation. Call before
    /// <see cref="SecurityServiceCollectionExtensions.AddControlPlaneSecurity"/>: it registers the store-backed
    /// <see cref="IRevokedCertificates"/>. Add <see cref="NodeCallTracking"/> to the gRPC interceptors after the
    /// authentication one.
    /// </summary>
    public static IServiceCollection AddNodeJoining(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JoinTokens>();
        services.TryAddSingleton<NodeIdentities>();
        services.TryAddSingleton<StoredRevocations>();
        services.TryAddSingleton<IRevokedCertificates>(sp => sp.GetRequiredService<StoredRevocations>());
        services.TryAddSingleton<NodeCalls>();
        services.TryAddSingleton<NodeCallTracking>();
        services.TryAddSingleton<JoinRateLimiter>();
        services.TryAddSingleton<NodeJoining>();
        services.TryAddSingleton<NodeRevocation>();
        services.AddHostedService<JoinTokenExpiry>();
        return services;
    }
}
