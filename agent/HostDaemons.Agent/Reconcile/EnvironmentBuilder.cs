using System.Text;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.ServiceAccounts;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// The kubelet's makeEnvironmentVariables: <c>envFrom</c> first, in order (a later source overrides an earlier one;
/// keys that are not valid variable names are skipped with an event), then <c>env</c> entries, which override, each
/// value expanding <c>$(VAR)</c> with what came before; command and args expand with the result. Two ways:
/// <see cref="Declared"/> is what the spec hash sees, where ConfigMap, Secret and resource values stand as their
/// declared references (a changed value never restarts a container, as in Kubernetes), and <see cref="Resolve"/> is
/// what the container gets when it is created, with the kubelet's CreateContainerConfigError messages and, after the
/// declared variables, the API server's (<see cref="ApiServerEndpoint"/>) that the container does not set itself; those
/// expand in <c>$(VAR)</c> too.
/// </summary>
internal static class EnvironmentBuilder
{
    /// <summary>The environment as the spec hash sees it; a container without ConfigMap, Secret or resource sources gets exactly its env.</summary>
    public static ContainerEnvironment Declared(Pod pod, Container container, NodeContext node) =>
        Build(pod, container, node, new DeclaredSources(pod.Spec.HostNetwork ? node.HostIp : ""), []);

    /// <summary>
    /// The environment the container is created with. <paramref name="podIp"/> is the address of the pod's sandbox when
    /// it has one; without it, <c>status.podIP</c> is the host's address with hostNetwork, else empty.
    /// </summary>
    /// <exception cref="ContainerRuntimeException">CreateContainerConfigError: an object or key that is not optional is missing.</exception>
    public static ContainerEnvironment Resolve(Pod pod, Container container, NodeContext node, ReferencedObjects objects, NodeAllocatable allocatable, string? podIp = null) =>
        Build(pod, container, node, new ObjectSources(pod, objects, allocatable, podIp ?? (pod.Spec.HostNetwork ? node.HostIp : "")), node.ApiServer?.Variables() ?? []);

    /// <summary>The declared envFrom sources, for the spec hash: empty when there are none, so older hashes stay as they were.</summary>
    public static string DeclaredEnvFrom(Container container)
    {
        var text = new StringBuilder();
        foreach (var from in container.EnvFrom)
        {
            var (kind, name, optional) = from.ConfigMapRef is { } c ? ("configMapRef", c.Name, c.Optional) : ("secretRef", from.SecretRef?.Name ?? "", from.SecretRef?.Optional == true);
            text.Append(kind).Append(' ').Append(name).Append(optional ? " optional" : "").Append(" prefix=").Append(from.Prefix).Append(';');
        }

        return text.ToString();
    }

    private static ContainerEnvironment Build(Pod pod, Container container, NodeContext node, ISources sources, IReadOnlyList<(string Name, string Value)> service)
    {
        var result = new List<(string Name, string Value)>();
        var values = service.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        var warnings = new List<string>();
        void Set(string name, string value)
        {
            values[name] = value;
            result.RemoveAll(e => e.Name == name);
            result.Add((name, value));
        }

        foreach (var from in container.EnvFrom)
        {
            foreach (var (name, value) in sources.EnvFrom(from, warnings))
            {
                Set(name, value);
            }
        }

        foreach (var env in container.Env)
        {
            var value = env.ValueFrom switch
            {
                _ when env.Value.Length > 0 => EnvExpansion.Expand(env.Value, values),
                { FieldRef: { } field } => PodFieldPaths.EnvValue(pod, field.FieldPath, node, sources.PodIp),
                { ConfigMapKeyRef: { } key } => sources.ConfigMapKey(key),
                { SecretKeyRef: { } key } => sources.SecretKey(key),
                { ResourceFieldRef: { } field } => sources.ResourceField(field, container.Name),
                _ => "",
            };

            // An optional reference to a key or object that does not exist leaves the variable out.
            if (value is not null)
            {
                Set(env.Name, value);
            }
        }

        var declared = result.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        result.AddRange(service.Where(e => !declared.Contains(e.Name)));
        return new ContainerEnvironment(
            [.. result.Select(e => $"{e.Name}={e.Value}")],
            container.Command.Count > 0 ? [.. container.Command.Select(c => EnvExpansion.Expand(c, values))] : null,
            container.Args.Count > 0 ? [.. container.Args.Select(a => EnvExpansion.Expand(a, values))] : null,
            warnings);
    }

    /// <summary>Where the values that are not in the pod spec come from.</summary>
    private interface ISources
    {
        string PodIp { get; }

        /// <returns>Null: optional and missing, the variable is left out.</returns>
        string? ConfigMapKey(ConfigMapKeySelector selector);

        string? SecretKey(SecretKeySelector selector);

        string ResourceField(ResourceFieldSelector selector, string container);

        IEnumerable<(string Name, string Value)> EnvFrom(EnvFromSource source, List<string> warnings);
    }

    /// <summary>References stand for themselves: the hash follows what is declared, never a value.</summary>
    private sealed class DeclaredSources(string podIp) : ISources
    {
        public string PodIp => podIp;

        public string? ConfigMapKey(ConfigMapKeySelector selector) => $"<configMapKeyRef {selector.Name} {selector.Key}{(selector.Optional ? " optional" : "")}>";

        public string? SecretKey(SecretKeySelector selector) => $"<secretKeyRef {selector.Name} {selector.Key}{(selector.Optional ? " optional" : "")}>";

        public string ResourceField(ResourceFieldSelector selector, string container) =>
            $"<resourceFieldRef {(selector.ContainerName.Length > 0 ? selector.ContainerName : container)} {selector.Resource} {selector.Divisor}>";

        public IEnumerable<(string Name, string Value)> EnvFrom(EnvFromSource source, List<string> warnings) => [];
    }

    /// <summary>The values of the pod's ConfigMaps and Secrets as last fetched, and of its resources on this node.</summary>
    private sealed class ObjectSources(Pod pod, ReferencedObjects objects, NodeAllocatable allocatable, string podIp) : ISources
    {
        private string Namespace => pod.Metadata.Namespace;

        public string PodIp => podIp;

        public string? ConfigMapKey(ConfigMapKeySelector selector)
        {
            if (ConfigMap(selector.Name, selector.Optional) is not { } configMap)
            {
                return null;
            }

            return configMap.Data.TryGetValue(selector.Key, out var value) ? value
                : selector.Optional ? null
                : throw ConfigError($"couldn't find key {selector.Key} in ConfigMap {Namespace}/{selector.Name}");
        }

        public string? SecretKey(SecretKeySelector selector)
        {
            if (Secret(selector.Name, selector.Optional) is not { } secret)
            {
                return null;
            }

            return secret.Data.TryGetValue(selector.Key, out var value) ? value.ToStringUtf8()
                : selector.Optional ? null
                : throw ConfigError($"couldn't find key {selector.Key} in Secret {Namespace}/{selector.Name}");
        }

        public string ResourceField(ResourceFieldSelector selector, string container)
        {
            try
            {
                return ResourceFieldValues.Value(pod, selector, container, allocatable);
            }
            catch (InvalidOperationException ex)
            {
                throw ConfigError(ex.Message);
            }
        }

        public IEnumerable<(string Name, string Value)> EnvFrom(EnvFromSource source, List<string> warnings)
        {
            IEnumerable<(string Key, string Value)> entries;
            string kind, name;
            if (source.ConfigMapRef is { } configMapRef)
            {
                (kind, name) = ("configMap", configMapRef.Name);
                entries = ConfigMap(name, configMapRef.Optional)?.Data.Select(e => (e.Key, e.Value)) ?? [];
            }
            else if (source.SecretRef is { } secretRef)
            {
                (kind, name) = ("secret", secretRef.Name);
                entries = Secret(name, secretRef.Optional)?.Data.Select(e => (e.Key, e.Value.ToStringUtf8())) ?? [];
            }
            else
            {
                return [];
            }

            var valid = new List<(string, string)>();
            var invalid = new List<string>();
            foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                var variable = source.Prefix + key;
                if (NameValidation.IsEnvVarName(variable))
                {
                    valid.Add((variable, value));
                }
                else
                {
                    invalid.Add(variable);
                }
            }

            if (invalid.Count > 0)
            {
                warnings.Add($"Keys [{string.Join(", ", invalid)}] from the EnvFrom {kind} {Namespace}/{name} were skipped since they are considered invalid environment variable names.");
            }

            return valid;
        }

        private ConfigMap? ConfigMap(string name, bool optional) => Find(() => objects.FindConfigMap(name, optional));

        private Secret? Secret(string name, bool optional) => Find(() => objects.FindSecret(name, optional));

        private static T? Find<T>(Func<T?> find)
            where T : class
        {
            try
            {
                return find();
            }
            catch (ObjectUnavailableException ex)
            {
                throw ConfigError(ex.Message);
            }
        }

        private static ContainerRuntimeException ConfigError(string message) => new("CreateContainerConfigError", message);
    }
}
