using HostDaemons.ControlPlane.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class AuthorizationServiceCollectionExtensions
{
    /// <summary>
    /// RBAC: the authorizer (<see cref="IAccessAuthorizer"/>, for every component that asks), the admin API's
    /// enforcement (add <see cref="AuthorizationInterceptor"/> right after the authentication interceptor), and the
    /// bootstrap of the default roles and bindings.
    /// </summary>
    public static IServiceCollection AddControlPlaneAuthorization(this IServiceCollection services)
    {
        services.TryAddSingleton<RbacAuthorizer>();
        services.TryAddSingleton<IAccessAuthorizer>(sp => sp.GetRequiredService<RbacAuthorizer>());
        services.TryAddSingleton<AdminAccess>();
        services.TryAddSingleton<Impersonation>();
        services.TryAddSingleton<RbacEscalation>();
        services.TryAddSingleton<AuthorizationInterceptor>();
        services.TryAddSingleton<AccessReviews>();
        services.AddHostedService<RbacBootstrap>();
        return services;
    }
}
