using System.Diagnostics.CodeAnalysis;
using HostDaemons.Hosting;
using HostDaemons.Hosting.Systemd;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

public static class SystemdServiceCollectionExtensions
{
    /// <summary>Under systemd only: the watchdog and the <c>STATUS=</c> line, fed from <typeparamref name="THealth"/>.</summary>
    public static IServiceCollection AddSystemdWatchdog<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THealth>(this IServiceCollection services)
        where THealth : class, IServiceHealth
    {
        if (!SystemdHelpers.IsSystemdService())
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IServiceHealth, THealth>();
        services.AddHostedService(sp => new SystemdWatchdog(
            sp.GetRequiredService<ISystemdNotifier>(),
            sp.GetRequiredService<IServiceHealth>(),
            WatchdogSettings.Read(LayeredSettings.ProcessEnvironment(), Environment.ProcessId),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILogger<SystemdWatchdog>>()));
        return services;
    }
}
