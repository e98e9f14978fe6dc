using System.Text;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Quantities;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>The parts of a pod's description that a daemonset's pod template shares: containers, volumes, tolerations.</summary>
internal sealed partial class Describer
{
    /// <summary>The template, indented under <c>Pod Template:</c> (kubectl's DescribePodTemplate).</summary>
    private void PodTemplate(DescribeWriter w, PodTemplateSpec? template)
    {
        w.Write(0, "Pod Template:\n");
        if (template is null)
        {
            w.Write(1, "<unset>\n");
            return;
        }

        var meta = template.Metadata ?? new ObjectMeta();
        var spec = template.Spec ?? new PodSpec();
        Labels(w, "  Labels", meta.Labels);
        if (meta.Annotations.Count > 0)
        {
            Annotations(w, "  Annotations", meta.Annotations);
        }

        if (spec.ServiceAccountName.Length > 0)
        {
            w.Write(1, $"Service Account:\t{spec.ServiceAccountName}\n");
        }

        if (spec.InitContainers.Count > 0)
        {
            Containers(w, "Init Containers", spec.InitContainers, statuses: null, pod: null, "  ");
        }

        Containers(w, "Containers", spec.Containers, statuses: null, pod: null, "  ");
        Volumes(w, spec.Volumes, "  ");
        if (spec.PriorityClassName.Length > 0)
        {
            w.Write(1, $"Priority Class Name:\t{spec.PriorityClassName}\n");
        }

        Labels(w, "  Node-Selectors", spec.NodeSelector);
        Tolerations(w, "  Tolerations", spec.Tolerations);
        Affinity(w, spec.Affinity, 1);
    }

    /// <summary>
    /// Each container under <paramref name="label"/> (<c>Containers</c> or <c>Init Containers</c>) with its status when
    /// there is one (a template has none), as kubectl's describeContainers. <paramref name="space"/> is the template's
    /// indent: it also shifts container names one column right.
    /// </summary>
    private void Containers(DescribeWriter w, string label, IList<Container> containers, IList<ContainerStatus>? statuses, Pod? pod, string space)
    {
        var byName = new Dictionary<string, ContainerStatus>(StringComparer.Ordinal);
        foreach (var status in statuses ?? [])
        {
            byName[status.Name] = status;
        }

        w.Write(0, $"{space}{label}:{(containers.Count == 0 ? " <none>" : "")}\n");
        var nameIndent = space.Length > 0 ? " " : "";
        foreach (var container in containers)
        {
            var status = byName.GetValueOrDefault(container.Name);
            w.Write(1, $"{nameIndent}{container.Name}:\n");
            if (status is not null)
            {
                w.Write(2, $"Container ID:\t{status.ContainerId}\n");
            }

            w.Write(2, $"Image:\t{container.Image}\n");
            if (status is not null)
            {
                w.Write(2, $"Image ID:\t{status.ImageId}\n");
            }

            var ports = string.Join(", ", container.Ports.Select(p => $"{N(p.ContainerPort_)}/{p.Protocol}"));
            w.Write(2, ports.Contains(',', StringComparison.Ordinal) ? $"Ports:\t{ports}\n" : $"Port:\t{OrNone(ports)}\n");
            var hostPorts = string.Join(", ", container.Ports.Select(p => $"{N(p.HostPort)}/{p.Protocol}"));
            w.Write(2, hostPorts.Contains(',', StringComparison.Ordinal) ? $"Host Ports:\t{hostPorts}\n" : $"Host Port:\t{OrNone(hostPorts)}\n");
            if (container.SecurityContext?.SeccompProfile is { } seccomp)
            {
                w.Write(2, $"SeccompProfile:\t{seccomp.Type}\n");
                if (seccomp.Type == "Localhost")
                {
                    w.Write(3, $"LocalhostProfile:\t{seccomp.LocalhostProfile}\n");
                }
            }

            Lines(w, "Command", container.Command);
            Lines(w, "Args", container.Args);
            if (status is not null)
            {
                State(w, "State", status.State);
                if (status.LastState?.Terminated is not null)
                {
                    State(w, "Last State", status.LastState);
                }

                w.Write(2, $"Ready:\t{(status.Ready ? "True" : "False")}\n");
                w.Write(2, $"Restart Count:\t{N(status.RestartCount)}\n");
            }

            Resources(w, "Limits", container.Resources?.Limits);
            Resources(w, "Requests", container.Resources?.Requests);
            Probe(w, "Liveness", container.LivenessProbe);
            Probe(w, "Readiness", container.ReadinessProbe);
            Probe(w, "Startup", container.StartupProbe);
            if (container.EnvFrom.Count > 0)
            {
                EnvironmentFrom(w, container.EnvFrom);
            }

            Environment(w, container, pod);
            Mounts(w, container.VolumeMounts);
        }
    }

    private static void Lines(DescribeWriter w, string title, IList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        w.Write(2, $"{title}:\n");
        foreach (var line in values.SelectMany(v => v.Split('\n')))
        {
            w.Write(3, $"{line}\n");
        }
    }

    private void State(DescribeWriter w, string title, ContainerState? state)
    {
        if (state?.Running is { } running)
        {
            w.Write(2, $"{title}:\tRunning\n");
            w.Write(3, $"Started:\t{Time(running.StartedAt?.ToDateTimeOffset())}\n");
        }
        else if (state?.Waiting is { } waiting)
        {
            w.Write(2, $"{title}:\tWaiting\n");
            if (waiting.Reason.Length > 0)
            {
                w.Write(3, $"Reason:\t{waiting.Reason}\n");
            }
        }
        else if (state?.Terminated is { } terminated)
        {
            w.Write(2, $"{title}:\tTerminated\n");
            if (terminated.Reason.Length > 0)
            {
                w.Write(3, $"Reason:\t{terminated.Reason}\n");
            }

            if (terminated.Message.Length > 0)
            {
                w.Write(3, $"Message:\t{terminated.Message}\n");
            }

            w.Write(3, $"Exit Code:\t{N(terminated.ExitCode)}\n");
            if (terminated.Signal > 0)
            {
                w.Write(3, $"Signal:\t{N(terminated.Signal)}\n");
            }

            w.Write(3, $"Started:\t{Time(terminated.StartedAt?.ToDateTimeOffset())}\n");
            w.Write(3, $"Finished:\t{Time(terminated.FinishedAt?.ToDateTimeOffset())}\n");
        }
        else
        {
            w.Write(2, $"{title}:\tWaiting\n");
        }
    }

    private static void Resources(DescribeWriter w, string title, IDictionary<string, string>? resources)
    {
        if (resources is not { Count: > 0 })
        {
            return;
        }

        w.Write(2, $"{title}:\n");
        foreach (var (name, quantity) in resources.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            w.Write(3, $"{name}:\t{quantity}\n");
        }
    }

    private static void Probe(DescribeWriter w, string title, Probe? probe)
    {
        if (probe is not null)
        {
            w.Write(2, $"{title}:\t{ProbeText(probe)}\n");
        }
    }

    /// <summary>kubectl's one-line probe: <c>http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3</c>.</summary>
    internal static string ProbeText(Probe probe)
    {
        var attributes = $"delay={N(probe.InitialDelaySeconds)}s timeout={N(probe.TimeoutSeconds)}s period={N(probe.PeriodSeconds)}s " +
            $"#success={N(probe.SuccessThreshold)} #failure={N(probe.FailureThreshold)}";
        if (probe.Exec is { } exec)
        {
            return $"exec [{string.Join(' ', exec.Command)}] {attributes}";
        }

        if (probe.HttpGet is { } http)
        {
            // As Go's url.URL: scheme, "//" and host:port when there is either, then the path, rooted when there is a host.
            var port = Port(http.Port);
            var host = port.Length > 0 ? JoinHostPort(http.Host, port) : http.Host;
            var url = new StringBuilder();
            if (http.Scheme.Length > 0)
            {
                url.Append(http.Scheme.ToLowerInvariant()).Append(':');
            }

            if ((http.Scheme.Length > 0 || host.Length > 0) && (host.Length > 0 || http.Path.Length > 0))
            {
                url.Append("//").Append(host);
            }

            if (http.Path.Length > 0 && http.Path[0] != '/' && host.Length > 0)
            {
                url.Append('/');
            }

            url.Append(http.Path);
            return $"http-get {url} {attributes}";
        }

        if (probe.TcpSocket is { } tcp)
        {
            return $"tcp-socket {tcp.Host}:{Port(tcp.Port)} {attributes}";
        }

        return $"unknown {attributes}";
    }

    /// <summary>An int-or-string port as Go prints it; an unset one is the integer zero.</summary>
    private static string Port(IntOrString? port) =>
        port?.ValueCase == IntOrString.ValueOneofCase.StringValue ? port.StringValue : N(port?.IntValue ?? 0);

    private static string JoinHostPort(string host, string port) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";

    /// <summary>
    /// Values and where the others come from, as kubectl's describeContainerEnvVars: a field reference with what kubectl
    /// can resolve of it (the pod's metadata; nothing in a template), a resource with its value in the container
    /// (<c>node allocatable</c> for an unset limit), a key of a Secret or ConfigMap with the object's name.
    /// </summary>
    private static void Environment(DescribeWriter w, Container container, Pod? pod)
    {
        w.Write(2, $"Environment:{(container.Env.Count == 0 ? "\t<none>" : "")}\n");
        foreach (var variable in container.Env)
        {
            var source = variable.ValueFrom;
            if (source is null)
            {
                var lines = variable.Value.Split('\n');
                w.Write(3, $"{variable.Name}:\t{lines[0]}\n");
                foreach (var line in lines.Skip(1))
                {
                    w.Write(3, $"\t{line}\n");
                }
            }
            else if (source.FieldRef is { } field)
            {
                w.Write(3, $"{variable.Name}:\t{(pod is null ? "" : FieldValue(pod, field.FieldPath))} ({field.ApiVersion}:{field.FieldPath})\n");
            }
            else if (source.ResourceFieldRef is { } resource)
            {
                var value = ResourceFieldValue(resource, container);
                if (value == "0" && resource.Resource is "limits.cpu" or "limits.memory")
                {
                    value = "node allocatable";
                }

                w.Write(3, $"{variable.Name}:\t{value} ({resource.Resource})\n");
            }
            else if (source.SecretKeyRef is { } secret)
            {
                w.Write(3, $"{variable.Name}:\t<set to the key '{secret.Key}' in secret '{secret.Name}'>\tOptional: {Bool(secret.Optional)}\n");
            }
            else if (source.ConfigMapKeyRef is { } configMap)
            {
                w.Write(3, $"{variable.Name}:\t<set to the key '{configMap.Key}' of config map '{configMap.Name}'>\tOptional: {Bool(configMap.Optional)}\n");
            }
        }
    }

    /// <summary>kubectl's describeContainerEnvFrom: <c>app  ConfigMap with prefix 'APP_'  Optional: false</c>.</summary>
    private static void EnvironmentFrom(DescribeWriter w, IList<EnvFromSource> sources)
    {
        w.Write(2, "Environment Variables from:\n");
        foreach (var source in sources)
        {
            var (name, kind, optional) = source.ConfigMapRef is { } configMap ? (configMap.Name, "ConfigMap", configMap.Optional)
                : source.SecretRef is { } secret ? (secret.Name, "Secret", secret.Optional)
                : ("", "", false);
            var from = source.Prefix.Length == 0 ? kind : $"{kind} with prefix '{source.Prefix}'";
            w.Write(3, $"{name}\t{from}\tOptional: {Bool(optional)}\n");
        }
    }

    /// <summary>What kubectl's fieldpath.ExtractFieldPathAsString reads of a pod: its metadata only.</summary>
    private static string FieldValue(Pod pod, string fieldPath) =>
        DownwardApiPaths.TryMetadataValue(pod.Metadata ?? new ObjectMeta(), fieldPath, out var value) ? value : "";

    /// <summary>
    /// A container's own request or limit divided by the divisor and rounded up, as kubectl's
    /// ExtractContainerResourceValue: cpu in millicores, bytes for the others.
    /// </summary>
    private static string ResourceFieldValue(ResourceFieldSelector selector, Container container)
    {
        var (list, name) = selector.Resource.Split('.', 2) switch
        {
            ["limits", var resource] => (container.Resources?.Limits, resource),
            ["requests", var resource] => (container.Resources?.Requests, resource),
            _ => (null, ""),
        };
        if (name.Length == 0 || (name is not ("cpu" or "memory" or "ephemeral-storage") && !name.StartsWith("hugepages-", StringComparison.Ordinal)))
        {
            return "";
        }

        var value = list?.TryGetValue(name, out var text) == true && Quantity.TryParse(text, out var parsed) ? parsed : 0m;
        var divisor = Quantity.TryParse(selector.Divisor, out var d) && d != 0 ? d : 1m;
        return name == "cpu"
            ? N((long)decimal.Ceiling(Quantity.ToMilli(value) / decimal.Ceiling(divisor * 1000m)))
            : N((long)decimal.Ceiling(Quantity.ToWhole(value) / divisor));
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static void Mounts(DescribeWriter w, IList<VolumeMount> mounts)
    {
        w.Write(2, $"Mounts:{(mounts.Count == 0 ? "\t<none>" : "")}\n");
        foreach (var mount in mounts.OrderBy(m => m.MountPath, StringComparer.Ordinal))
        {
            var flags = mount.ReadOnly ? "ro" : "rw";
            if (mount.SubPath.Length > 0)
            {
                flags += $",path={GoStrings.Quote(mount.SubPath)}";
            }

            w.Write(3, $"{mount.MountPath} from {mount.Name} ({flags})\n");
        }
    }

    private static void Volumes(DescribeWriter w, IList<Volume> volumes, string space)
    {
        if (volumes.Count == 0)
        {
            w.Write(0, $"{space}Volumes:\t<none>\n");
            return;
        }

        w.Write(0, $"{space}Volumes:\n");
        var nameIndent = space.Length > 0 ? " " : "";
        foreach (var volume in volumes)
        {
            w.Write(1, $"{nameIndent}{volume.Name}:\n");
            if (volume.HostPath is { } hostPath)
            {
                w.Write(2, $"Type:\tHostPath (bare host directory volume)\n    Path:\t{hostPath.Path}\n    HostPathType:\t{hostPath.Type}\n");
            }
            else if (volume.EmptyDir is { } emptyDir)
            {
                var sizeLimit = Quantity.TryParse(emptyDir.SizeLimit, out var size) && size > 0 ? emptyDir.SizeLimit : "<unset>";
                w.Write(2, $"Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{emptyDir.Medium}\n    SizeLimit:\t{sizeLimit}\n");
            }
            else if (volume.Secret is { } secret)
            {
                w.Write(2, $"Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{secret.SecretName}\n    Optional:\t{Bool(secret.Optional)}\n");
            }
            else if (volume.ConfigMap is { } configMap)
            {
                w.Write(2, $"Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{configMap.Name}\n    Optional:\t{Bool(configMap.Optional)}\n");
            }
            else if (volume.DownwardApi is { } downwardApi)
            {
                w.Write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
                DownwardApiItems(w, downwardApi.Items);
            }
            else if (volume.Projected is { } projected)
            {
                Projected(w, projected);
            }
            else
            {
                w.Write(1, "<unknown>\n");
            }
        }
    }

    private static void DownwardApiItems(DescribeWriter w, IEnumerable<DownwardAPIVolumeFile> items)
    {
        foreach (var item in items)
        {
            if (item.FieldRef is { } field)
            {
                w.Write(3, $"{field.FieldPath} -> {item.Path}\n");
            }

            if (item.ResourceFieldRef is { } resource)
            {
                w.Write(3, $"{resource.Resource} -> {item.Path}\n");
            }
        }
    }

    /// <summary>kubectl's printProjectedVolumeSource: one line (or two) per source, at the type's level.</summary>
    private static void Projected(DescribeWriter w, ProjectedVolumeSource projected)
    {
        w.Write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
        foreach (var source in projected.Sources)
        {
            if (source.Secret is { } secret)
            {
                w.Write(2, $"SecretName:\t{secret.Name}\n    Optional:\t{Bool(secret.Optional)}\n");
            }
            else if (source.DownwardApi is not null)
            {
                w.Write(2, "DownwardAPI:\ttrue\n");
            }
            else if (source.ConfigMap is { } configMap)
            {
                w.Write(2, $"ConfigMapName:\t{configMap.Name}\n    Optional:\t{Bool(configMap.Optional)}\n");
            }
            else if (source.ServiceAccountToken is { } token)
            {
                w.Write(2, $"TokenExpirationSeconds:\t{N(token.ExpirationSeconds)}\n");
            }
        }
    }

    /// <summary>Sorted by key: <c>key=value:Effect</c>, <c>op=Exists</c> for a bare key, <c>for 300s</c> with tolerationSeconds.</summary>
    private static void Tolerations(DescribeWriter w, string title, IEnumerable<Toleration> tolerations)
    {
        var sorted = tolerations.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        TabbedList(w, title, sorted, toleration =>
        {
            var text = new StringBuilder(toleration.Key);
            if (toleration.Value.Length > 0)
            {
                text.Append('=').Append(toleration.Value);
            }

            if (toleration.Effect.Length > 0)
            {
                text.Append(':').Append(toleration.Effect);
            }

            if (toleration.Operator == "Exists" && toleration.Value.Length == 0)
            {
                text.Append(toleration.Key.Length > 0 || toleration.Effect.Length > 0 ? " op=Exists" : "op=Exists");
            }

            if (toleration.HasTolerationSeconds)
            {
                text.Append(" for ").Append(N(toleration.TolerationSeconds)).Append('s');
            }

            w.Write(0, $"{text}\n");
        });
    }

    /// <summary>
    /// Kubernetes' QoS rules over cpu and memory of every container, init containers included: no requests or limits is
    /// BestEffort; limits on both for every container,
    /// equal to the requests, is Guaranteed; anything else is Burstable.
    /// </summary>
    internal static string QosClass(PodSpec spec)
    {
        var requests = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var limits = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var guaranteed = true;
        foreach (var container in spec.Containers.Concat(spec.InitContainers))
        {
            Add(requests, Requests(container), _ => { });
            var found = new HashSet<string>(StringComparer.Ordinal);
            Add(limits, (IReadOnlyDictionary<string, string>?)container.Resources?.Limits ?? new Dictionary<string, string>(), name => found.Add(name));
            if (!found.Contains("cpu") || !found.Contains("memory"))
            {
                guaranteed = false;
            }
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return "BestEffort";
        }

        guaranteed &= requests.All(r => limits.TryGetValue(r.Key, out var limit) && limit == r.Value);
        return guaranteed && requests.Count == limits.Count ? "Guaranteed" : "Burstable";

        static void Add(Dictionary<string, decimal> totals, IReadOnlyDictionary<string, string> resources, Action<string> counted)
        {
            foreach (var (name, text) in resources)
            {
                if (name is "cpu" or "memory" && Quantity.TryParse(text, out var value) && value > 0)
                {
                    totals[name] = totals.GetValueOrDefault(name) + value;
                    counted(name);
                }
            }
        }
    }

    /// <summary>A container's requests, where a request left out is its limit, as the API server defaults it.</summary>
    private static IReadOnlyDictionary<string, string> Requests(Container container)
    {
        var requests = new Dictionary<string, string>(container.Resources?.Requests ?? [], StringComparer.Ordinal);
        foreach (var (name, limit) in container.Resources?.Limits ?? [])
        {
            requests.TryAdd(name, limit);
        }

        return requests;
    }

    private static string OrNone(string value) => value.Length == 0 ? "<none>" : value;
}
