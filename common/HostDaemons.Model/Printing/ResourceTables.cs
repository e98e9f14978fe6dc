using System.Globalization;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Printing;

/// <summary>
/// The cells of each kind's row, computed as kube-apiserver's printers compute them with every column (the server always
/// prints wide; kubectl drops priority-1 columns unless <c>-o wide</c>). Cells are typed as the server types them:
/// <see cref="string"/>, <see cref="long"/> for counts and numbers, <see cref="bool"/>.
/// </summary>
public static partial class ResourceTables
{
    /// <summary>One cell per column of <see cref="Columns"/>, in order.</summary>
    public static object[] Cells(IKubeObject value, DateTimeOffset now) => value switch
    {
        DaemonSet ds => DaemonSetCells(ds, now),
        Pod pod => PodCells(pod, now),
        Node node => NodeCells(node, now),
        Event e => EventCells(e, now),
        Namespace ns => [ns.Metadata.Name, ns.Status?.Phase ?? "", Age(ns, now)],
        Secret secret => [secret.Metadata.Name, secret.Type, (long)secret.Data.Count, Age(secret, now)],
        ConfigMap cm => [cm.Metadata.Name, (long)(cm.Data.Count + cm.BinaryData.Count), Age(cm, now)],
        ServiceAccount sa => [sa.Metadata.Name, (long)sa.Secrets.Count, Age(sa, now)],
        Service service => ServiceCells(service, now),
        EndpointSlice slice => EndpointSliceCells(slice, now),
        ControllerRevision revision => [revision.Metadata.Name, Controller(revision.Metadata), revision.Revision, Age(revision, now)],
        Role or ClusterRole => [value.Metadata.Name, CreatedAt(value)],
        RoleBinding binding => BindingCells(binding.Metadata.Name, binding.RoleRef, binding.Subjects, Age(binding, now)),
        ClusterRoleBinding binding => BindingCells(binding.Metadata.Name, binding.RoleRef, binding.Subjects, Age(binding, now)),
        PriorityClass pc => [pc.Metadata.Name, (long)pc.Value, pc.GlobalDefault, Age(pc, now), pc.PreemptionPolicy],
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.ResourceKind, "no table columns for this kind"),
    };

    /// <summary>The row hdctl prints: the cells of the columns shown (see <see cref="Header"/>), as kubectl writes them.</summary>
    public static string[] Row(IKubeObject value, bool wide, DateTimeOffset now)
    {
        var columns = Columns(value.ResourceKind);
        var cells = Cells(value, now);
        return [.. cells.Where((_, i) => columns[i].ShownIn(wide)).Select(FormatCell)];
    }

    /// <summary>A cell as kubectl prints it (Go's <c>fmt.Fprint</c>): numbers in decimal, booleans as <c>true</c>/<c>false</c>.</summary>
    public static string FormatCell(object cell) => cell switch
    {
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };

    /// <summary>The AGE cell: how long ago the object was created, or <c>&lt;unknown&gt;</c>.</summary>
    public static string Age(IKubeObject value, DateTimeOffset now) => EventText.Since(value.Metadata.CreationTimestamp?.ToDateTimeOffset(), now);

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

    private static object[] DaemonSetCells(DaemonSet ds, DateTimeOffset now)
    {
        var status = ds.Status ?? new DaemonSetStatus();
        var spec = ds.Spec?.Template?.Spec;
        var containers = spec?.Containers ?? [];
        return
        [
            ds.Metadata.Name,
            (long)status.DesiredNumberScheduled,
            (long)status.CurrentNumberScheduled,
            (long)status.NumberReady,
            (long)status.UpdatedNumberScheduled,
            (long)status.NumberAvailable,
            LabelSelectors.FormatLabels(spec?.NodeSelector ?? []),
            Age(ds, now),
            string.Join(",", containers.Select(c => c.Name)),
            string.Join(",", containers.Select(c => c.Image)),
            LabelSelectors.Format(ds.Spec?.Selector),
        ];
    }

    private static object[] PodCells(Pod pod, DateTimeOffset now)
    {
        var (ready, status, restarts) = PodStatusText.Describe(pod, now);
        var podIp = pod.Status?.PodIps.FirstOrDefault()?.Ip is { Length: > 0 } first ? first : pod.Status?.PodIp ?? "";
        var node = pod.Spec?.NodeName ?? "";
        return [pod.Metadata.Name, ready, status, restarts, Age(pod, now), OrNone(podIp), OrNone(node), "<none>", ReadinessGates(pod)];
    }

    /// <summary>READINESS GATES: how many of the pod's gates have a True condition, <c>1/2</c>, or <c>&lt;none&gt;</c>.</summary>
    private static string ReadinessGates(Pod pod)
    {
        var gates = pod.Spec?.ReadinessGates ?? [];
        if (gates.Count == 0)
        {
            return "<none>";
        }

        var conditions = pod.Status?.Conditions ?? [];
        var passing = gates.Count(g => conditions.FirstOrDefault(c => c.Type == g.ConditionType)?.Status == "True");
        return $"{N(passing)}/{N(gates.Count)}";
    }

    private static object[] NodeCells(Node node, DateTimeOffset now)
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
        string Address(string type) => node.Status?.Addresses.FirstOrDefault(a => a.Type == type)?.Address ?? "<none>";
        return
        [
            node.Metadata.Name, status, roles.Count == 0 ? "<none>" : string.Join(",", roles), Age(node, now), info.KubeletVersion,
            Address("InternalIP"), Address("ExternalIP"), OrUnknown(info.OsImage), OrUnknown(info.KernelVersion), OrUnknown(info.ContainerRuntimeVersion),
        ];
    }

    private static object[] EventCells(Event e, DateTimeOffset now) =>
    [
        EventText.LastSeen(e, now), e.Type, e.Reason, EventText.Object(e), e.InvolvedObject?.FieldPath ?? "", EventText.Source(e), e.Message.Trim(),
        EventText.FirstSeen(e, now), (long)EventText.Count(e), e.Metadata.Name,
    ];

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

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string OrNone(string value) => value.Length == 0 ? "<none>" : value;

    private static string OrUnknown(string value) => value.Length == 0 ? "<unknown>" : value;
}
