using HostDaemons.ControlPlane.Hosting;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Hosting;
using Microsoft.Extensions.Options;

if (DaemonCommandLine.HandleInformational(args, "hostdaemons-controlplane", ControlPlaneHost.Usage, Console.Out) is { } informational)
{
    return informational;
}

try
{
    var app = ControlPlaneHost.Build(args, LayeredSettings.ProcessEnvironment());
    await app.RunAsync();
    return Environment.ExitCode;
}
catch (SettingsException ex)
{
    await Console.Error.WriteLineAsync($"hostdaemons-controlplane: {ex.Message}");
    return 2;
}
catch (PkiException ex)
{
    await Console.Error.WriteLineAsync($"hostdaemons-controlplane: {ex.Message}");
    return 2;
}
catch (TokenFileException ex)
{
    await Console.Error.WriteLineAsync($"hostdaemons-controlplane: --token-auth-file: {ex.Message}");
    return 2;
}
catch (HostDaemons.ControlPlane.ServiceAccounts.ServiceAccountKeyException ex)
{
    await Console.Error.WriteLineAsync($"hostdaemons-controlplane: {ex.Message}");
    return 2;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync($"hostdaemons-controlplane: invalid settings: {string.Join("; ", ex.Failures)}");
    return 2;
}
