using System.Globalization;
using HostDaemons.Api.V1;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Printing;
using HostDaemons.Model.Quantities;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>
/// <c>kubectl describe</c>'s text for daemonsets, pods and nodes, line for line as kubectl's describers write it. Takes
/// the objects already fetched, so it needs no server: times are relative to <paramref name="now"/> and printed in
/// <paramref name="zone"/>, as kubectl prints them in the local time zone.
/// </summary>
internal sealed partial class Describer(DateTimeOffset now, TimeZoneInfo zone)
{
    private const int MaxAnnotationLength = 140;
    private const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Go's zero time in RFC 1123 form: what kubectl prints for a time that was never set.</summary>
    private const string ZeroTime = "Mon, 01 Jan 0001 00:00:00 +0000";

    /// <summary>A pod; <paramref name="events"/> may hold others' events too: only the pod's are printed.</summary>
    public string Pod(Pod pod, IEnumerable<Event> events)
    {
        var w = new DescribeWriter();
        var meta = pod.Metadata ?? new ObjectMeta();
        var spec = pod.Spec ?? new PodSpec();
        var status = pod.Status ?? new PodStatus();
        w.Write(0, $"Name:\t{meta.Name}\n");
        w.Write(0, $"Namespace:\t{meta.Namespace}\n");
        // The API server's priority admission always sets it; HostDaemons resolves classes when it creates the pod.
        w.Write(0, $"Priority:\t{N(spec.HasPriority ? spec.Priority : 0)}\n");
        if (spec.PriorityClassName.Length > 0)
        {
            w.Write(0, $"Priority Class Name:\t{spec.PriorityClassName}\n");
        }

        if (spec.ServiceAccountName.Length > 0)
        {
            w.Write(0, $"Service Account:\t{spec.ServiceAccountName}\n");
        }

        w.Write(0, spec.NodeName.Length == 0 ? "Node:\t<none>\n" : $"Node:\t{spec.NodeName}/{status.HostIp}\n");
        if (status.StartTime is { } start)
        {
            w.Write(0, $"Start Time:\t{Time(start.ToDateTimeOffset())}\n");
        }

        Labels(w, "Labels", meta.Labels);
        Annotations(w, "Annotations", meta.Annotations);
        if (meta.DeletionTimestamp is { } deleting && status.Phase is not ("Failed" or "Succeeded"))
        {
            w.Write(0, $"Status:\tTerminating (lasts {EventText.Since(deleting.ToDateTimeOffset(), now)})\n");
            if (meta.HasDeletionGracePeriodSeconds)
            {
                w.Write(0, $"Termination Grace Period:\t{N(meta.DeletionGracePeriodSeconds)}s\n");
            }
        }
        else
        {
            w.Write(0, $"Status:\t{status.Phase}\n");
        }

        if (status.Reason.Length > 0)
        {
            w.Write(0, $"Reason:\t{status.Reason}\n");
        }

        if (status.Message.Length > 0)
        {
            w.Write(0, $"Message:\t{status.Message}\n");
        }

        if (spec.SecurityContext?.SeccompProfile is { } seccomp)
        {
            w.Write(0, $"SeccompProfile:\t{seccomp.Type}\n");
            if (seccomp.Type == "Localhost")
            {
                w.Write(0, $"LocalhostProfile:\t{seccomp.LocalhostProfile}\n");
            }
        }

        w.Write(0, $"IP:\t{status.PodIp}\n");
        var ips = status.PodIps.Count > 0 ? status.PodIps.Select(i => i.Ip).ToList() : status.PodIp.Length > 0 ? [status.PodIp] : [];
        if (ips.Count == 0)
        {
            w.Write(0, "IPs:\t<none>\n");
        }
        else
        {
            w.Write(0, "IPs:\n");
            foreach (var ip in ips)
            {
                w.Write(1, $"IP:\t{ip}\n");
            }
        }

        if (meta.ControllerRef() is { } owner)
        {
            w.Write(0, $"Controlled By:\t{owner.Kind}/{owner.Name}\n");
        }

        if (spec.InitContainers.Count > 0)
        {
            Containers(w, "Init Containers", spec.InitContainers, status.InitContainerStatuses, pod, "");
        }

        Containers(w, "Containers", spec.Containers, status.ContainerStatuses, pod, "");
        if (spec.ReadinessGates.Count > 0)
        {
            w.Write(0, "Readiness Gates:\n  Type\tStatus\n");
            foreach (var gate in spec.ReadinessGates)
            {
                var condition = status.Conditions.FirstOrDefault(c => c.Type == gate.ConditionType);
                w.Write(1, $"{gate.ConditionType} \t{condition?.Status ?? "<none>"} \n");
            }
        }

        if (status.Conditions.Count > 0)
        {
            w.Write(0, "Conditions:\n  Type\tStatus\n");
            foreach (var condition in status.Conditions)
            {
                w.Write(1, $"{condition.Type} \t{condition.Status} \n");
            }
        }

        Volumes(w, spec.Volumes, "");
        w.Write(0, $"QoS Class:\t{(status.QosClass.Length > 0 ? status.QosClass : QosClass(spec))}\n");
        Labels(w, "Node-Selectors", spec.NodeSelector);
        Tolerations(w, "Tolerations", spec.Tolerations);
        Events(w, About(events, pod));
        return w.ToString();
    }

    /// <summary>
    /// A daemonset. <paramref name="pods"/> are the pods its selector matches; those it controls are counted by phase.
    /// <paramref name="placement"/>, when the server gave it, adds the placement preview's summary counts.
    /// </summary>
    public string DaemonSet(DaemonSet ds, IEnumerable<Pod> pods, IEnumerable<Event> events, ExplainPlacementResponse? placement = null)
    {
        var w = new DescribeWriter();
        var meta = ds.Metadata ?? new ObjectMeta();
        var status = ds.Status ?? new DaemonSetStatus();
        var template = ds.Spec?.Template;
        var (running, waiting, succeeded, failed) = (0, 0, 0, 0);
        foreach (var pod in pods.Where(p => p.Metadata?.ControllerRef()?.Uid is { } uid && uid == meta.Uid))
        {
            switch (pod.Status?.Phase)
            {
                case "Running":
                    running++;
                    break;
                case "Pending":
                    waiting++;
                    break;
                case "Succeeded":
                    succeeded++;
                    break;
                case "Failed":
                    failed++;
                    break;
            }
        }

        w.Write(0, $"Name:\t{meta.Name}\n");
        w.Write(0, $"Namespace:\t{meta.Namespace}\n");
        w.Write(0, $"Selector:\t{LabelSelectors.Format(ds.Spec?.Selector)}\n");
        w.Write(0, $"Node-Selector:\t{LabelSelectors.FormatLabels(template?.Spec?.NodeSelector ?? [])}\n");
        Labels(w, "Labels", meta.Labels);
        Annotations(w, "Annotations", meta.Annotations);
        w.Write(0, $"Desired Number of Nodes Scheduled: {N(status.DesiredNumberScheduled)}\n");
        w.Write(0, $"Current Number of Nodes Scheduled: {N(status.CurrentNumberScheduled)}\n");
        w.Write(0, $"Number of Nodes Scheduled with Up-to-date Pods: {N(status.UpdatedNumberScheduled)}\n");
        w.Write(0, $"Number of Nodes Scheduled with Available Pods: {N(status.NumberAvailable)}\n");
        w.Write(0, $"Number of Nodes Misscheduled: {N(status.NumberMisscheduled)}\n");
        if (placement is not null)
        {
            w.Write(0, $"Node Placement:\t{PlacementPrinter.Summary(placement)}\n");
        }

        w.Write(0, $"Pods Status:\t{N(running)} Running / {N(waiting)} Waiting / {N(succeeded)} Succeeded / {N(failed)} Failed\n");
        PodTemplate(w, template);
        Events(w, About(events, ds));
        return w.ToString();
    }

    /// <summary>A node. <paramref name="pods"/> may be every pod: those bound to the node and not finished are listed.</summary>
    public string Node(Node node, IEnumerable<Pod> pods, IEnumerable<Event> events)
    {
        var w = new DescribeWriter();
        var meta = node.Metadata ?? new ObjectMeta();
        var spec = node.Spec ?? new NodeSpec();
        var status = node.Status ?? new NodeStatus();
        var roles = ResourceTables.Roles(node);
        w.Write(0, $"Name:\t{meta.Name}\n");
        w.Write(0, $"Roles:\t{(roles.Count == 0 ? "<none>" : string.Join(",", roles))}\n");
        Labels(w, "Labels", meta.Labels);
        Annotations(w, "Annotations", meta.Annotations);
        w.Write(0, $"CreationTimestamp:\t{Time(meta.CreationTimestamp?.ToDateTimeOffset())}\n");
        Taints(w, spec.Taints);
        w.Write(0, $"Unschedulable:\t{(spec.Unschedulable ? "true" : "false")}\n");
        if (status.Conditions.Count > 0)
        {
            w.Write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
            w.Write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
            foreach (var c in status.Conditions)
            {
                w.Write(1, $"{c.Type} \t{c.Status} \t{Time(c.LastHeartbeatTime?.ToDateTimeOffset())} \t{Time(c.LastTransitionTime?.ToDateTimeOffset())} \t{c.Reason} \t{c.Message}\n");
            }
        }

        w.Write(0, "Addresses:\n");
        foreach (var address in status.Addresses)
        {
            w.Write(1, $"{address.Type}:\t{address.Address}\n");
        }

        var info = status.NodeInfo ?? new NodeSystemInfo();
        w.Write(0, "System Info:\n");
        w.Write(0, $"  Machine ID:\t{info.MachineId}\n");
        w.Write(0, $"  Kernel Version:\t{info.KernelVersion}\n");
        w.Write(0, $"  OS Image:\t{info.OsImage}\n");
        w.Write(0, $"  Operating System:\t{info.OperatingSystem}\n");
        w.Write(0, $"  Architecture:\t{info.Architecture}\n");
        w.Write(0, $"  Container Runtime Version:\t{info.ContainerRuntimeVersion}\n");
        w.Write(0, $"  Kubelet Version:\t{info.KubeletVersion}\n");
        NodeResources(w, [.. pods
            .Where(p => p.Spec?.NodeName == meta.Name && p.Status?.Phase is not ("Succeeded" or "Failed"))
            .OrderBy(p => p.Metadata?.Namespace, StringComparer.Ordinal)
            .ThenBy(p => p.Metadata?.Name, StringComparer.Ordinal)]);
        Events(w, About(events, node));
        return w.ToString();
    }

    /// <summary>
    /// The events about <paramref name="value"/>, by uid. kubelet names a node by its name where a uid would go, so
    /// a node's events are also those with its name as uid; an object without a uid is matched by kind and name.
    /// </summary>
    private static IEnumerable<Event> About(IEnumerable<Event> events, IKubeObject value)
    {
        var meta = value.Metadata ?? new ObjectMeta();
        var kind = ResourceKinds.Get(value.ResourceKind).KindName;
        return events.Where(e => e.InvolvedObject is { } o && (meta.Uid.Length > 0
            ? o.Uid == meta.Uid || (value is Node && o.Kind == kind && o.Uid == meta.Name)
            : o.Kind == kind && o.Name == meta.Name && o.Namespace == meta.Namespace));
    }

    private void Events(DescribeWriter w, IEnumerable<Event> events)
    {
        var sorted = EventText.ByLastSeen(events);
        if (sorted.Count == 0)
        {
            w.Write(0, "Events:\t<none>\n");
            return;
        }

        w.Flush();
        w.Write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
        w.Write(1, "----\t------\t----\t----\t-------\n");
        foreach (var e in sorted)
        {
            w.Write(1, $"{e.Type}\t{e.Reason}\t{EventText.Interval(e, now)}\t{e.Source?.Component}\t{e.Message.Trim()}\n");
        }
    }

    /// <summary><c>title:</c> then one item a line, each after a tab so they line up; <c>&lt;none&gt;</c> for no items.</summary>
    private static void TabbedList<T>(DescribeWriter w, string title, IReadOnlyList<T> sorted, Action<T> writeItem)
    {
        w.Write(0, $"{title}:\t");
        if (sorted.Count == 0)
        {
            w.WriteLine("<none>");
            return;
        }

        for (var i = 0; i < sorted.Count; i++)
        {
            if (i != 0)
            {
                w.Write(0, "\t");
            }

            writeItem(sorted[i]);
        }
    }

    private static void Labels(DescribeWriter w, string title, IEnumerable<KeyValuePair<string, string>> labels) =>
        TabbedList(w, title, labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToList(), l => w.Write(0, $"{l.Key}={l.Value}\n"));

    /// <summary>One annotation a line; a long or multi-line value goes on its own, indented, lines cut at 140 characters.</summary>
    private static void Annotations(DescribeWriter w, string title, IEnumerable<KeyValuePair<string, string>> annotations)
    {
        var sorted = annotations.Where(a => a.Key != LastAppliedAnnotation).OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
        TabbedList(w, title, sorted, annotation =>
        {
            var (key, value) = (annotation.Key, annotation.Value);
            if (value.EndsWith('\n'))
            {
                value = value[..^1];
            }

            if (value.Length + key.Length + 2 > MaxAnnotationLength || value.Contains('\n', StringComparison.Ordinal))
            {
                w.Write(0, $"{key}:\n");
                foreach (var line in value.Split('\n'))
                {
                    var shown = line.Length > MaxAnnotationLength - 2 ? line[..(MaxAnnotationLength - 2)] + "..." : line;
                    w.Write(0, $"\t  {shown}\n");
                }
            }
            else
            {
                w.Write(0, $"{key}: {value}\n");
            }
        });
    }

    /// <summary>Sorted by effect, then key: <c>key=value:Effect</c>, or <c>key:Effect</c>.</summary>
    private static void Taints(DescribeWriter w, IEnumerable<Taint> taints)
    {
        var sorted = taints.OrderBy(t => $"{t.Effect},{t.Key}", StringComparer.Ordinal).ToList();
        TabbedList(w, "Taints", sorted, taint =>
            w.Write(0, taint.Value.Length == 0 ? $"{taint.Key}:{taint.Effect}\n" : $"{taint.Key}={taint.Value}:{taint.Effect}\n"));
    }

    /// <summary>kubectl's describeNodeResource, without percentages: HostDaemons nodes report no allocatable resources.</summary>
    private void NodeResources(DescribeWriter w, List<Pod> pods)
    {
        w.Write(0, $"Non-terminated Pods:\t({N(pods.Count)} in total)\n");
        w.Write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
        w.Write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
        var requests = new List<IReadOnlyDictionary<string, string>>();
        var limits = new List<IReadOnlyDictionary<string, string>>();
        foreach (var pod in pods)
        {
            var containers = pod.Spec?.Containers ?? [];
            var podRequests = containers.Select(Requests).ToList();
            var podLimits = containers.Select(c => (IReadOnlyDictionary<string, string>)(c.Resources?.Limits ?? [])).ToList();
            requests.AddRange(podRequests);
            limits.AddRange(podLimits);
            w.Write(1, $"{pod.Metadata?.Namespace}\t{pod.Metadata?.Name}\t\t{Total(podRequests, "cpu")}\t{Total(podLimits, "cpu")}\t" +
                $"{Total(podRequests, "memory")}\t{Total(podLimits, "memory")}\t{EventText.Since(pod.Metadata?.CreationTimestamp?.ToDateTimeOffset(), now)}\n");
        }

        w.Write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
        w.Write(1, "Resource\tRequests\tLimits\n");
        w.Write(1, "--------\t--------\t------\n");
        foreach (var resource in new[] { "cpu", "memory", "ephemeral-storage" })
        {
            w.Write(1, $"{resource}\t{Total(requests, resource)}\t{Total(limits, resource)}\n");
        }
    }

    /// <summary>
    /// The sum of one resource over containers, in Kubernetes' canonical form: whole cores or millicores for CPU; for
    /// sizes the largest suffix that divides the total, binary (Mi) when the quantities were written so.
    /// </summary>
    private static string Total(IEnumerable<IReadOnlyDictionary<string, string>> resources, string name)
    {
        var total = 0m;
        var binary = false;
        foreach (var text in resources.Select(r => r.GetValueOrDefault(name)))
        {
            if (text is not null && Quantity.TryParse(text, out var value))
            {
                total += value;
                binary |= text.EndsWith('i');
            }
        }

        if (name == "cpu")
        {
            var milli = Quantity.ToMilli(total);
            return milli % 1000 == 0 ? N(milli / 1000) : $"{N(milli)}m";
        }

        var bytes = Quantity.ToWhole(total);
        (string Suffix, long Factor)[] suffixes = binary
            ? [("Ei", 1L << 60), ("Pi", 1L << 50), ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10)]
            : [("E", 1_000_000_000_000_000_000), ("P", 1_000_000_000_000_000), ("T", 1_000_000_000_000), ("G", 1_000_000_000), ("M", 1_000_000), ("k", 1_000)];
        foreach (var (suffix, factor) in suffixes)
        {
            if (bytes != 0 && bytes % factor == 0)
            {
                return $"{N(bytes / factor)}{suffix}";
            }
        }

        return N(bytes);
    }

    /// <summary>RFC 1123 with a numeric zone (Go's <c>time.RFC1123Z</c>): <c>Mon, 02 Jan 2006 15:04:05 -0700</c>.</summary>
    private string Time(DateTimeOffset? time)
    {
        if (time is not { } value)
        {
            return ZeroTime;
        }

        var local = TimeZoneInfo.ConvertTime(value, zone);
        var offset = local.Offset.Duration();
        var sign = local.Offset < TimeSpan.Zero ? '-' : '+';
        return local.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + sign
            + offset.Hours.ToString("00", CultureInfo.InvariantCulture) + offset.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
