namespace HostDaemons.Agent.Runtime;

internal sealed record RuntimeInfo(
    string Name,
    string Version,
    string ApiVersion,
    string OperatingSystem,
    string Architecture,
    string KernelVersion,
    string OsImage);
