using HostDaemons.Agent.Hosting;
using HostDaemons.Hosting;
using Microsoft.Extensions.Options;

if (DaemonCommandLine.HandleInformational(args, "hostdaemons-agent", AgentHost.Usage, Console.Out) is { } informational)
{
    return informational;
}

try
{
    using var host = AgentHost.Build(args, LayeredSettings.ProcessEnvironment());
    await host.RunAsync();
    return Environment.ExitCode;
}
catch (SettingsException ex)
{
    await Console.Error.WriteLineAsync($"hostdaemons-agent: {ex.Message}");
    return 2;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync($"hostdaemons-agent: invalid settings: {string.Join("; ", ex.Failures)}");
    return 2;
}
