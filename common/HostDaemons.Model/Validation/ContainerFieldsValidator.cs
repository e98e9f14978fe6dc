using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>A container's ports (validateContainerPorts, the host port rules) and terminal flags.</summary>
internal static class ContainerFieldsValidator
{
    private static readonly string[] s_protocols = ["TCP", "UDP", "SCTP"];

    public static void ValidatePorts(Container container, string path, ValidationErrors errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < container.Ports.Count; i++)
        {
            var port = container.Ports[i];
            var portPath = $"{path}.ports[{i}]";
            if (port.Name.Length > 0)
            {
                if (port.Name.Length > 15 || !NameValidation.IsDns1123Label(port.Name) || !port.Name.Any(char.IsLetter) || port.Name.Contains("--", StringComparison.Ordinal))
                {
                    errors.Invalid($"{portPath}.name", port.Name, "must be no more than 15 characters, contain only lowercase alphanumeric characters or '-', and contain at least one letter");
                }
                else if (!names.Add(port.Name))
                {
                    errors.Duplicate($"{portPath}.name", port.Name);
                }
            }

            if (port.ContainerPort_ == 0)
            {
                errors.Required($"{portPath}.containerPort");
            }
            else if (!PortValidation.IsPortNumber(port.ContainerPort_))
            {
                errors.Invalid($"{portPath}.containerPort", port.ContainerPort_, PortValidation.PortNumberMessage);
            }

            if (port.HostPort != 0 && !PortValidation.IsPortNumber(port.HostPort))
            {
                errors.Invalid($"{portPath}.hostPort", port.HostPort, PortValidation.PortNumberMessage);
            }

            if (port.Protocol.Length == 0)
            {
                errors.Required($"{portPath}.protocol");
            }
            else if (!s_protocols.Contains(port.Protocol))
            {
                errors.NotSupported($"{portPath}.protocol", port.Protocol, s_protocols);
            }

            // Kubernetes takes any text; Docker publishes only on an address.
            if (port.HostIp.Length > 0 && !NameValidation.IsIpAddress(port.HostIp))
            {
                errors.Invalid($"{portPath}.hostIP", port.HostIp, NameValidation.IpAddressMessage);
            }
        }
    }

    /// <summary>
    /// AccumulateUniqueHostPorts: one host port per protocol and address among containers that run together (all the
    /// regular containers; each init container on its own).
    /// </summary>
    public static void CheckHostPorts(IEnumerable<(Container Container, string Path)> containers, ValidationErrors errors)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (container, path) in containers)
        {
            for (var i = 0; i < container.Ports.Count; i++)
            {
                var port = container.Ports[i];
                if (port.HostPort != 0 && !used.Add($"{port.Protocol}/{port.HostIp}/{port.HostPort}"))
                {
                    errors.Duplicate($"{path}.ports[{i}].hostPort", $"{port.Protocol}/{port.HostIp}/{port.HostPort}");
                }
            }
        }
    }

    /// <summary>validatePodHostNetworkDeps: on the host's network a container port is its host port.</summary>
    public static void CheckHostNetworkPorts(Container container, string path, ValidationErrors errors)
    {
        for (var i = 0; i < container.Ports.Count; i++)
        {
            var port = container.Ports[i];
            if (port.HostPort != 0 && port.HostPort != port.ContainerPort_)
            {
                errors.Invalid($"{path}.ports[{i}].hostPort", port.HostPort, "must match `containerPort` when `hostNetwork` is true");
            }
        }
    }

    public static void ValidateTerminal(Container container, string path, ValidationErrors errors)
    {
        if (container.Stdin)
        {
            errors.Forbidden($"{path}.stdin", "HostDaemons runs daemons without stdin");
        }

        if (container.Tty)
        {
            errors.Forbidden($"{path}.tty", "HostDaemons runs daemons without a terminal");
        }
    }
}
