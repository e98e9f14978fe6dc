using System.Globalization;
using Docker.DotNet.Models;

namespace HostDaemons.Agent.Runtime;

/// <summary>
/// The pod-level parts of a launch spec on Docker's create request: IPC mode, security options (a Localhost seccomp
/// profile is sent as its content, as the docker CLI does), sysctls, published ports and extra hosts entries.
/// </summary>
internal static class DockerPodOptions
{
    public static void Apply(ContainerLaunchSpec spec, CreateContainerParameters parameters)
    {
        var host = parameters.HostConfig ??= new HostConfig();
        if (spec.IpcMode.Length > 0)
        {
            host.IpcMode = spec.IpcMode;
        }

        var security = new List<string>(spec.SecurityOptions);
        if (spec.SeccompProfileFile is { } file)
        {
            security.Add("seccomp=" + ReadSeccompProfile(file));
        }

        if (security.Count > 0)
        {
            host.SecurityOpt = security;
        }

        if (spec.Sysctls.Count > 0)
        {
            host.Sysctls = new Dictionary<string, string>(spec.Sysctls, StringComparer.Ordinal);
        }

        if (spec.ExtraHosts.Count > 0)
        {
            host.ExtraHosts = [.. spec.ExtraHosts];
        }

        if (spec.PublishedPorts.Count > 0)
        {
            host.PortBindings = spec.PublishedPorts
                .GroupBy(p => Key(p), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IList<PortBinding>)[.. g.Select(p => new PortBinding
                {
                    HostIP = p.HostIp,
                    HostPort = p.HostPort.ToString(CultureInfo.InvariantCulture),
                })], StringComparer.Ordinal);
            parameters.ExposedPorts ??= new Dictionary<string, EmptyStruct>(StringComparer.Ordinal);
            foreach (var key in host.PortBindings.Keys)
            {
                parameters.ExposedPorts[key] = new EmptyStruct();
            }
        }
    }

    private static string Key(PublishedPort port) => string.Create(CultureInfo.InvariantCulture, $"{port.ContainerPort}/{port.Protocol}");

    private static string ReadSeccompProfile(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ContainerRuntimeException("CreateContainerConfigError", $"cannot load seccomp profile \"{file}\": {ex.Message}", ex);
        }
    }
}
