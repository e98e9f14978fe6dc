using System.Globalization;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Labels;

/// <summary>
/// The fields a <see cref="FieldSelector"/> may name, per kind, as the Kubernetes API server offers them (its
/// <c>GetAttrs</c>/<c>ConvertFieldLabel</c>): every kind has <c>metadata.name</c> and <c>metadata.namespace</c>; pods,
/// nodes, events, secrets and namespaces add their own.
/// </summary>
public static class FieldLabels
{
    private static readonly Dictionary<ResourceKind, Dictionary<string, Func<IKubeObject, string>>> s_fields = new()
    {
        [ResourceKind.DaemonSet] = Fields<DaemonSet>([]),
        [ResourceKind.ControllerRevision] = Fields<ControllerRevision>([]),
        [ResourceKind.ConfigMap] = Fields<ConfigMap>([]),
        [ResourceKind.ServiceAccount] = Fields<ServiceAccount>([]),
        [ResourceKind.Role] = Fields<Role>([]),
        [ResourceKind.ClusterRole] = Fields<ClusterRole>([]),
        [ResourceKind.RoleBinding] = Fields<RoleBinding>([]),
        [ResourceKind.ClusterRoleBinding] = Fields<ClusterRoleBinding>([]),
        [ResourceKind.Service] = Fields<Service>([]),
        [ResourceKind.EndpointSlice] = Fields<EndpointSlice>([]),
        [ResourceKind.PriorityClass] = Fields<PriorityClass>([]),
        [ResourceKind.Pod] = Fields<Pod>(new()
        {
            ["spec.nodeName"] = p => p.Spec?.NodeName ?? "",
            ["spec.restartPolicy"] = p => p.Spec?.RestartPolicy ?? "",
            ["spec.serviceAccountName"] = p => p.Spec?.ServiceAccountName ?? "",
            ["spec.hostNetwork"] = p => Bool(p.Spec?.HostNetwork ?? false),
            ["status.phase"] = p => p.Status?.Phase ?? "",
            ["status.podIP"] = p => p.Status?.PodIp ?? "",
        }),
        [ResourceKind.Node] = Fields<Node>(new() { ["spec.unschedulable"] = n => Bool(n.Spec?.Unschedulable ?? false) }),
        [ResourceKind.Secret] = Fields<Secret>(new() { ["type"] = s => s.Type }),
        [ResourceKind.Namespace] = Fields<Namespace>(new() { ["status.phase"] = n => n.Status?.Phase ?? "" }),
        [ResourceKind.Event] = Fields<Event>(new()
        {
            ["involvedObject.kind"] = e => e.InvolvedObject?.Kind ?? "",
            ["involvedObject.namespace"] = e => e.InvolvedObject?.Namespace ?? "",
            ["involvedObject.name"] = e => e.InvolvedObject?.Name ?? "",
            ["involvedObject.uid"] = e => e.InvolvedObject?.Uid ?? "",
            ["involvedObject.apiVersion"] = e => e.InvolvedObject?.ApiVersion ?? "",
            ["involvedObject.fieldPath"] = e => e.InvolvedObject?.FieldPath ?? "",
            ["reason"] = e => e.Reason,
            ["source"] = e => e.Source?.Component ?? "",
            ["type"] = e => e.Type,
        }),
    };

    /// <summary>The first field of the selector the kind does not offer, as the API server refuses it; null when all are offered.</summary>
    public static string? Unsupported(ResourceKind kind, FieldSelector selector)
    {
        var fields = s_fields.GetValueOrDefault(kind);
        var field = selector.Requirements.FirstOrDefault(r => fields is null || !fields.ContainsKey(r.Field))?.Field;
        return field is null ? null : $"field label not supported: {field}";
    }

    /// <summary>Whether the object's fields match; a field the kind does not offer has the value "".</summary>
    public static bool Matches(FieldSelector selector, IKubeObject value)
    {
        if (selector.IsEverything)
        {
            return true;
        }

        var fields = s_fields.GetValueOrDefault(value.ResourceKind);
        return selector.Matches(field => fields is not null && fields.TryGetValue(field, out var get) ? get(value) : "");
    }

    private static Dictionary<string, Func<IKubeObject, string>> Fields<T>(Dictionary<string, Func<T, string>> own)
        where T : IKubeObject
    {
        var fields = new Dictionary<string, Func<IKubeObject, string>>(StringComparer.Ordinal)
        {
            ["metadata.name"] = o => o.Metadata?.Name ?? "",
            ["metadata.namespace"] = o => o.Metadata?.Namespace ?? "",
        };
        foreach (var (name, get) in own)
        {
            fields[name] = o => get((T)o);
        }

        return fields;
    }

    private static string Bool(bool value) => value.ToString(CultureInfo.InvariantCulture).ToLowerInvariant();
}
