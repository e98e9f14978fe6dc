using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>Kubernetes' validateProbe and validateLifecycle, which share one handler check (validateHandler).</summary>
internal static class HandlerValidator
{
    private static readonly string[] s_schemes = ["HTTP", "HTTPS"];

    public static void ValidateProbes(Container container, string path, ValidationErrors errors)
    {
        ValidateProbe(container.ReadinessProbe, container, $"{path}.readinessProbe", readiness: true, errors);
        ValidateProbe(container.LivenessProbe, container, $"{path}.livenessProbe", readiness: false, errors);
        ValidateProbe(container.StartupProbe, container, $"{path}.startupProbe", readiness: false, errors);
    }

    public static void ValidateLifecycle(Container container, string path, long gracePeriod, ValidationErrors errors)
    {
        if (container.Lifecycle is not { } lifecycle)
        {
            return;
        }

        foreach (var (hook, name) in new[] { (lifecycle.PostStart, "postStart"), (lifecycle.PreStop, "preStop") })
        {
            if (hook is not null)
            {
                ValidateHandler(new Handler(hook.Exec, hook.HttpGet, hook.TcpSocket, hook.Sleep), container, $"{path}.{name}", gracePeriod, errors);
            }
        }
    }

    private static void ValidateProbe(Probe? probe, Container container, string path, bool readiness, ValidationErrors errors)
    {
        if (probe is null)
        {
            return;
        }

        ValidateHandler(new Handler(probe.Exec, probe.HttpGet, probe.TcpSocket, Sleep: null), container, path, hookGracePeriod: null, errors);
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

        if (!readiness && probe.SuccessThreshold > 1)
        {
            errors.Invalid($"{path}.successThreshold", probe.SuccessThreshold, "must be 1");
        }

        if (probe.HasTerminationGracePeriodSeconds && readiness)
        {
            errors.Invalid($"{path}.terminationGracePeriodSeconds", probe.TerminationGracePeriodSeconds, "must not be set for readinessProbes");
        }
        else if (probe.HasTerminationGracePeriodSeconds && probe.TerminationGracePeriodSeconds < 1)
        {
            errors.Invalid($"{path}.terminationGracePeriodSeconds", probe.TerminationGracePeriodSeconds, "must be greater than 0");
        }
    }

    /// <summary>
    /// Exactly one action: a second one is refused where it is written. <paramref name="hookGracePeriod"/> is the pod's
    /// grace period for a lifecycle hook (a sleep may not outlast it) and null for a probe.
    /// </summary>
    private static void ValidateHandler(Handler handler, Container container, string path, long? hookGracePeriod, ValidationErrors errors)
    {
        var count = 0;
        if (handler.Exec is { } exec && First("exec") && exec.Command.Count == 0)
        {
            errors.Required($"{path}.exec.command");
        }

        if (handler.HttpGet is { } http && First("httpGet"))
        {
            ValidateHttpGet(http, container, $"{path}.httpGet", errors);
        }

        if (handler.TcpSocket is { } tcp && First("tcpSocket"))
        {
            if (hookGracePeriod is null)
            {
                ValidatePort(tcp.Port, container, $"{path}.tcpSocket.port", errors);
            }
            else
            {
                errors.Forbidden($"{path}.tcpSocket", "not supported: Kubernetes keeps tcpSocket in lifecycle hooks for compatibility and never runs it; use exec, httpGet or sleep");
            }
        }

        if (handler.Sleep is { } sleep && First("sleep") && (sleep.Seconds < 0 || sleep.Seconds > hookGracePeriod))
        {
            errors.Invalid($"{path}.sleep", sleep.Seconds, $"must be non-negative and less than terminationGracePeriodSeconds ({hookGracePeriod})");
        }

        if (count == 0)
        {
            errors.Required(path, "must specify a handler type");
        }

        bool First(string field)
        {
            if (count++ == 0)
            {
                return true;
            }

            errors.Forbidden($"{path}.{field}", "may not specify more than 1 handler type");
            return false;
        }
    }

    private static void ValidateHttpGet(HTTPGetAction http, Container container, string path, ValidationErrors errors)
    {
        if (http.Path.Length == 0)
        {
            errors.Required($"{path}.path");
        }

        ValidatePort(http.Port, container, $"{path}.port", errors);
        if (!s_schemes.Contains(http.Scheme))
        {
            errors.NotSupported($"{path}.scheme", http.Scheme, s_schemes);
        }

        for (var i = 0; i < http.HttpHeaders.Count; i++)
        {
            var header = http.HttpHeaders[i].Name;
            if (header.Length == 0)
            {
                errors.Required($"{path}.httpHeaders[{i}].name");
            }
            else if (!header.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                errors.Invalid($"{path}.httpHeaders[{i}].name", header, "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')");
            }
        }
    }

    /// <summary>A port number, or the name of one of the container's ports (the agent resolves it there).</summary>
    private static void ValidatePort(IntOrString? port, Container container, string path, ValidationErrors errors)
    {
        if (port is null)
        {
            errors.Required(path);
        }
        else if (port.ValueCase == IntOrString.ValueOneofCase.IntValue)
        {
            if (!PortValidation.IsPortNumber(port.IntValue))
            {
                errors.Invalid(path, port.IntValue, PortValidation.PortNumberMessage);
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

    private sealed record Handler(ExecAction? Exec, HTTPGetAction? HttpGet, TCPSocketAction? TcpSocket, SleepAction? Sleep);
}
