using System.Globalization;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>The columns kubectl prints for each kind, default and wide.</summary>
internal static partial class ResourceTable
{
    public static string[] Header(ResourceKind kind, bool wide) => kind switch
    {
        ResourceKind.DaemonSet => wide
            ? ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]
            : ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
        ResourceKind.Pod => wide
            ? ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]
            : ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        ResourceKind.Secret => ["NAME", "TYPE", "DATA", "AGE"],
        ResourceKind.Namespace => ["NAME", "STATUS", "AGE"],
        ResourceKind.ControllerRevision => ["NAME", "CONTROLLER", "REVISION", "AGE"],
        ResourceKind.ConfigMap => ["NAME", "DATA", "AGE"],
        ResourceKind.ServiceAccount => ["NAME", "SECRETS", "AGE"],
        ResourceKind.Role or ResourceKind.ClusterRole => ["NAME", "CREATED AT"],
        ResourceKind.RoleBinding or ResourceKind.ClusterRoleBinding => wide
            ? ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"]
            : ["NAME", "ROLE", "AGE"],
        ResourceKind.Service => wide
            ? ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]
            : ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
        ResourceKind.EndpointSlice => ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
        ResourceKind.PriorityClass => ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"],
        ResourceKind.Event => wide
            ? ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"]
            : ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        _ => wide
            ? ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]
            : ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
    };

    public static string[] Row(IKubeObject value, bool wide, DateTimeOffset now) => value switch
    {
        DaemonSet ds => DaemonSetRow(ds, wide, now),
        Pod pod => PodRow(pod, wide, now),
        Node node => NodeRow(node, wide, now),
        Secret secret => [secret.Metadata.Name, secret.Type, N(secret.Data.Count), Age(secret, now)],
        Namespace ns => [ns.Metadata.Name, ns.Status?.Phase ?? "", Age(ns, now)],
        ControllerRevision revision => [revision.Metadata.Name, Controller(revision.Metadata), revision.Revision.ToString(CultureInfo.InvariantCulture), Age(revision, now)],
        Event e => EventRow(e, wide, now),
        ConfigMap cm => [cm.Metadata.Name, N(cm.Data.Count + cm.BinaryData.Count), Age(cm, now)],
        ServiceAccount sa => [sa.Metadata.Name, N(sa.Secrets.Count), Age(sa, now)],
        Role or ClusterRole => [value.Metadata.Name, CreatedAt(value)],
        RoleBinding binding => BindingRow(binding.Metadata.Name, binding.RoleRef, binding.Subjects, Age(binding, now), wide),
        ClusterRoleBinding binding => BindingRow(binding.Metadata.Name, binding.RoleRef, binding.Subjects, Age(binding, now), wide),
        Service service => ServiceRow(service, wide, now),
        EndpointSlice slice => EndpointSliceRow(slice, now),
        PriorityClass pc => [pc.Metadata.Name, N(pc.Value), pc.GlobalDefault ? "true" : "false", Age(pc, now), pc.PreemptionPolicy],
        _ => [value.Metadata.Name],
    };

    /// <summary>kubectl's CONTROLLER column: the controlling owner as <c>daemonset.apps/x</c>, or <c>&lt;none&gt;</c>.</summary>
    private static string Controller(ObjectMeta meta)
    {
        if (meta.ControllerRef() is not { } owner)
        {
            return "<none>";
        }

        var slash = owner.ApiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : "." + owner.ApiVersion[..slash];
        return $"{(owner.Kind + group).ToLowerInvariant()}/{owner.Name}";
    }

    public static string Age(IKubeObject value, DateTimeOffset now) =>
        value.Metadata.CreationTimestamp is { } created ? HumanDuration.Format(now - created.ToDateTimeOffset()) : "<unknown>";

    private static string[] DaemonSetRow(DaemonSet ds, bool wide, DateTimeOffset now)
    {
        var status = ds.Status ?? new DaemonSetStatus();
        var spec = ds.Spec?.Template?.Spec;
        string[] row =
        [
            ds.Metadata.Name,
            N(status.DesiredNumberScheduled),
            N(status.CurrentNumberScheduled),
            N(status.NumberReady),
            N(status.UpdatedNumberScheduled),
            N(status.NumberAvailable),
            LabelSelectors.FormatLabels(spec?.NodeSelector ?? []),
            Age(ds, now),
        ];
        if (!wide)
        {
            return row;
        }

        var containers = spec?.Containers ?? [];
        return
        [
            .. row,
            string.Join(",", containers.Select(c => c.Name)),
            string.Join(",", containers.Select(c => c.Image)),
            LabelSelectors.Format(ds.Spec?.Selector),
        ];
    }

    private static string[] PodRow(Pod pod, bool wide, DateTimeOffset now)
    {
        var (ready, status, restarts) = PodStatusText.Describe(pod, now);
        string[] row = [pod.Metadata.Name, ready, status, restarts, Age(pod, now)];
        if (!wide)
        {
            return row;
        }

        var ip = pod.Status?.PodIp is { Length: > 0 } podIp ? podIp : "<none>";
        var node = pod.Spec?.NodeName is { Length: > 0 } nodeName ? nodeName : "<none>";
        return [.. row, ip, node];
    }

    private static string[] NodeRow(Node node, bool wide, DateTimeOffset now)
    {
        var ready = node.Status?.Conditions.FirstOrDefault(c => c.Type == "Ready");
        var status = ready?.Status switch
        {
            "True" => "Ready",
            null => "Unknown",
            _ => "NotReady",
        };
        if (node.Spec?.Unschedulable == true)
        {
            status += ",SchedulingDisabled";
        }

        var roles = Roles(node);
        var info = node.Status?.NodeInfo ?? new NodeSystemInfo();
        string[] row = [node.Metadata.Name, status, roles.Count == 0 ? "<none>" : string.Join(",", roles), Age(node, now), info.KubeletVersion];
        if (!wide)
        {
            return row;
        }

        string Address(string type) => node.Status?.Addresses.FirstOrDefault(a => a.Type == type)?.Address ?? "<none>";
        return [.. row, Address("InternalIP"), Address("ExternalIP"), Or(info.OsImage), Or(info.KernelVersion), Or(info.ContainerRuntimeVersion)];
    }

    /// <summary>A node's roles, sorted: from <c>node-role.kubernetes.io/ROLE</c> labels and the <c>kubernetes.io/role</c> label.</summary>
    public static List<string> Roles(Node node) =>
        [
            .. node.Metadata.Labels.Keys
                .Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
                .Select(k => k["node-role.kubernetes.io/".Length..])
                .Concat(node.Metadata.Labels.TryGetValue("kubernetes.io/role", out var role) ? [role] : [])
                .Where(r => r.Length > 0)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal),
        ];

    private static string[] EventRow(Event e, bool wide, DateTimeOffset now)
    {
        var message = e.Message.Trim();
        if (!wide)
        {
            return [EventText.LastSeen(e, now), e.Type, e.Reason, EventText.Object(e), message];
        }

        return
        [
            EventText.LastSeen(e, now), e.Type, e.Reason, EventText.Object(e), e.InvolvedObject?.FieldPath ?? "", EventText.Source(e), message,
            EventText.FirstSeen(e, now), N(EventText.Count(e)), e.Metadata.Name,
        ];
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Or(string value) => value.Length == 0 ? "<unknown>" : value;
}
