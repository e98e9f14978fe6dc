using HostDaemons.ControlPlane;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class AuditingServiceCollectionExtensions
{
    /// <summary>
    /// The audit log (<c>--audit-log-path</c>): the queue requests record into, its one writer, and the interceptor that
    /// records every call (add <see cref="AuditInterceptor"/> first among the gRPC interceptors, before authentication).
    /// </summary>
    public static IServiceCollection AddControlPlaneAuditing(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new AuditLog(
            sp.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.AuditLogPath.Length > 0, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<Func<IAuditSink>>(sp => () =>
        {
            var options = sp.GetRequiredService<IOptions<ControlPlaneOptions>>().Value;
            return options.AuditLogPath == "-"
                ? new StdoutAuditSink()
                : new RotatingAuditFile(options.AuditLogPath, options.AuditLogMaxsize * 1024L * 1024L, options.AuditLogMaxbackup);
        });
        services.TryAddSingleton<AuditInterceptor>();
        services.AddHostedService<AuditLogWriter>();
        return services;
    }

    /// <summary>
    /// Bearer tokens from <c>--token-auth-file</c>, when it is set: read (and checked) when first needed, at start, and
    /// watched for changes. Call before <see cref="SecurityServiceCollectionExtensions.AddControlPlaneSecurity"/>, whose
    /// default accepts no token.
    /// </summary>
    public static IServiceCollection AddTokenFileAuthentication(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new TokenFile(
            sp.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.TokenAuthFile is { Length: > 0 } path
                ? new TokenFileAuthenticator(path, sp.GetRequiredService<ILogger<TokenFileAuthenticator>>())
                : null));
        services.TryAddSingleton<ITokenAuthenticator>(sp => (ITokenAuthenticator?)sp.GetRequiredService<TokenFile>().Authenticator ?? new NoTokenAuthenticator());
        services.AddHostedService(sp => new TokenFileReloader(
            sp.GetRequiredService<TokenFile>().Authenticator,
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILogger<TokenFileReloader>>()));
        return services;
    }
}
