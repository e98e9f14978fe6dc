using System.Reflection;

namespace HostDaemons.Hosting;

/// <summary>What both daemons do before starting: <c>--help</c>, <c>--version</c>, and clear errors for bad settings.</summary>
public static class DaemonCommandLine
{
    public static string Version { get; } =
        typeof(DaemonCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Handles <c>--help</c> and <c>--version</c>; returns an exit code when the process should stop here.</summary>
    public static int? HandleInformational(string[] args, string name, string usage, TextWriter output)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            output.WriteLine(usage);
            return 0;
        }

        if (args.Contains("--version"))
        {
            output.WriteLine($"{name} {Version}");
            return 0;
        }

        return null;
    }
}
