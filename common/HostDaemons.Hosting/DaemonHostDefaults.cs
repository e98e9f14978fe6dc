using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HostDaemons.Hosting;

/// <summary>What both daemons' hosts share: systemd integration, and one-line console logs that stay readable on a terminal.</summary>
public static class DaemonHostDefaults
{
    public static void Apply(IHostApplicationBuilder builder)
    {
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);

        // Under systemd: Type=notify readiness and stopping, and the journal's log format with priorities.
        builder.Services.AddSystemd();
    }
}
