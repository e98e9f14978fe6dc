using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>Rules for a container's ports, security context, probes, terminal flags and env sources.</summary>
internal static class ContainerFieldsValidator
{
    private static readonly string[] s_protocols = ["TCP", "UDP", "SCTP"];
    private static readonly string[] s_schemes = ["HTTP", "HTTPS"];
    private static readonly string[] s_fieldPaths = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.podIP"];

    public static void Validate(Container container, string path, bool hostNetwork, HashSet<(int, string)> hostPorts, ValidationErrors errors)
    {
        ValidatePorts(container, path, hostNetwork, hostPorts, errors);
        if (container.SecurityContext is { } security)
        {
            ValidateIds(security.HasRunAsUser ? security.RunAsUser : null, security.HasRunAsGroup ? security.RunAsGroup : null, $"{path}.securityContext", errors);
            ValidateCapabilities(security.Capabilities?.Add ?? [], $"{path}.securityContext.capabilities.add", errors);
            ValidateCapabilities(security.Capabilities?.Drop ?? [], $"{path}.securityContext.capabilities.drop", errors);
        }

        if (container.Stdin)
        {
            errors.Forbidden($"{path}.stdin", "HostDaemons runs daemons without stdin");
        }

        if (container.Tty)
        {
            errors.Forbidden($"{path}.tty", "HostDaemons runs daemons without a terminal");
        }

        ValidateProbe(container.ReadinessProbe, container, $"{path}.readinessProbe", requireSingleSuccess: false, errors);
        ValidateProbe(container.LivenessProbe, container, $"{path}.livenessProbe", requireSingleSuccess: true, errors);
        ValidateProbe(container.StartupProbe, container, $"{path}.startupProbe", requireSingleSuccess: true, errors);
    }

    private static bool IsHeaderTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    public static void ValidateIds(long? user, long? group, string path, ValidationErrors errors)
    {
        if (user is < 0 or > int.MaxValue)
        {
            errors.Invalid($"{path}.runAsUser", user, "must be between 0 and 2147483647, inclusive");
        }

        if (group is < 0 or > int.MaxValue)
        {
            errors.Invalid($"{path}.runAsGroup", group, "must be between 0 and 2147483647, inclusive");
        }
    }

    public static void ValidateEnvSource(EnvVar env, string path, ValidationErrors errors)
    {
        if (env.ValueFrom is not { } source)
        {
            return;
        }

        if (env.Value.Length > 0)
        {
            errors.Invalid($"{path}.valueFrom", "", "may not be specified when `value` is not empty");
        }

        if (source.FieldRef is not { } field)
        {
            errors.Required($"{path}.valueFrom.fieldRef", "HostDaemons supports fieldRef sources");
            return;
        }

        if (field.ApiVersion.Length > 0 && field.ApiVersion != "v1")
        {
            errors.NotSupported($"{path}.valueFrom.fieldRef.apiVersion", field.ApiVersion, "v1");
        }

        if (field.FieldPath.Length == 0)
        {
            errors.Required($"{path}.valueFrom.fieldRef.fieldPath");
        }
        else if (!s_fieldPaths.Contains(field.FieldPath))
        {
            errors.NotSupported($"{path}.valueFrom.fieldRef.fieldPath", field.FieldPath, s_fieldPaths);
        }
    }

    private static void ValidatePorts(Container container, string path, bool hostNetwork, HashSet<(int, string)> hostPorts, ValidationErrors errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < container.Ports.Count; i++)
        {
            var port = container.Ports[i];
            var portPath = $"{path}.ports[{i}]";
            if (port.ContainerPort_ == 0)
            {
                errors.Required($"{portPath}.containerPort");
            }
            else if (port.ContainerPort_ is < 1 or > 65535)
            {
                errors.Invalid($"{portPath}.containerPort", port.ContainerPort_, "must be between 1 and 65535, inclusive");
            }

            if (port.HostPort is < 0 or > 65535)
            {
                errors.Invalid($"{portPath}.hostPort", port.HostPort, "must be between 1 and 65535, inclusive");
            }
            else if (hostNetwork && port.HostPort > 0 && port.HostPort != port.ContainerPort_)
            {
                errors.Invalid($"{portPath}.hostPort", port.HostPort, "must match `containerPort` when `hostNetwork` is true");
            }

            if (port.Protocol.Length > 0 && !s_protocols.Contains(port.Protocol))
            {
                errors.NotSupported($"{portPath}.protocol", port.Protocol, s_protocols);
            }

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

            if (port.HostIp.Length > 0 && hostNetwork)
            {
                errors.Forbidden($"{portPath}.hostIP", "not supported: a hostNetwork pod listens on the addresses it binds itself");
            }

            var protocol = port.Protocol.Length == 0 ? "TCP" : port.Protocol;
            if (port.HostPort > 0 && !hostPorts.Add((port.HostPort, protocol)))
            {
                errors.Duplicate($"{portPath}.hostPort", $"{port.HostPort}/{protocol}");
            }
        }
    }

    private static void ValidateCapabilities(IEnumerable<string> capabilities, string path, ValidationErrors errors)
    {
        var i = 0;
        foreach (var capability in capabilities)
        {
            if (capability.Length == 0 || capability.Any(c => !(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')))
            {
                errors.Invalid($"{path}[{i}]", capability, "must be a capability name such as NET_ADMIN or ALL");
            }

            i++;
        }
    }

    private static void ValidateProbe(Probe? probe, Container container, string path, bool requireSingleSuccess, ValidationErrors errors)
    {
        if (probe is null)
        {
            return;
        }

        var handlers = (probe.Exec is null ? 0 : 1) + (probe.HttpGet is null ? 0 : 1) + (probe.TcpSocket is null ? 0 : 1);
        if (handlers == 0)
        {
            errors.Required(path, "must specify a handler type");
        }
        else if (handlers > 1)
        {
            errors.Forbidden(path, "may not specify more than 1 handler type");
        }

        if (probe.Exec is { } exec && exec.Command.Count == 0)
        {
            errors.Required($"{path}.exec.command");
        }

        if (probe.HttpGet is { } http)
        {
            ValidateProbePort(http.Port, container, $"{path}.httpGet.port", errors);
            if (http.Scheme.Length > 0 && !s_schemes.Contains(http.Scheme))
            {
                errors.NotSupported($"{path}.httpGet.scheme", http.Scheme, s_schemes);
            }

            for (var i = 0; i < http.HttpHeaders.Count; i++)
            {
                var header = http.HttpHeaders[i].Name;
                if (header.Length == 0)
                {
                    errors.Required($"{path}.httpGet.httpHeaders[{i}].name");
                }
                else if (!header.All(IsHeaderTokenChar))
                {
                    errors.Invalid($"{path}.httpGet.httpHeaders[{i}].name", header, "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')");
                }
            }
        }

        if (probe.TcpSocket is { } tcp)
        {
            ValidateProbePort(tcp.Port, container, $"{path}.tcpSocket.port", errors);
        }

        foreach (var (field, value) in new[]
        {
            ("initialDelaySeconds", probe.InitialDelaySeconds), ("timeoutSeconds", probe.TimeoutSeconds), ("periodSeconds", probe.PeriodSeconds),
            ("successThreshold", probe.SuccessThreshold), ("failureThreshold", probe.FailureThreshold),
        })
        {
            if (value < 0)
            {
                errors.Invalid($"{path}.{field}", value, "must be greater than or equal to 0");
            }
        }

        if (requireSingleSuccess && probe.SuccessThreshold > 1)
        {
            errors.Invalid($"{path}.successThreshold", probe.SuccessThreshold, "must be 1");
        }

        if (probe.HasTerminationGracePeriodSeconds && !requireSingleSuccess)
        {
            errors.Invalid($"{path}.terminationGracePeriodSeconds", probe.TerminationGracePeriodSeconds, "must not be set for readinessProbes");
        }
        else if (probe.HasTerminationGracePeriodSeconds && probe.TerminationGracePeriodSeconds < 1)
        {
            errors.Invalid($"{path}.terminationGracePeriodSeconds", probe.TerminationGracePeriodSeconds, "must be greater than 0");
        }
    }

    private static void ValidateProbePort(IntOrString? port, Container container, string path, ValidationErrors errors)
    {
        if (port is null)
        {
            errors.Required(path);
        }
        else if (port.ValueCase == IntOrString.ValueOneofCase.IntValue)
        {
            if (port.IntValue is < 1 or > 65535)
            {
                errors.Invalid(path, port.IntValue, "must be between 1 and 65535, inclusive");
            }
        }
        else if (port.StringValue.Length == 0)
        {
            errors.Required(path);
        }
        else if (!container.Ports.Any(p => p.Name == port.StringValue))
        {
            errors.Invalid(path, port.StringValue, "must be a port number or the name of one of the container's ports");
        }
    }
}
