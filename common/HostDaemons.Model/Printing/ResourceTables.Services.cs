using System.Globalization;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Printing;

/// <summary>The cells of Services, EndpointSlices and RBAC objects (printService, printEndpointSlice, printRoleBinding...).</summary>
public static partial class ResourceTables
{
    private const int MaxListed = 3;

    private static object[] ServiceCells(Service service, DateTimeOffset now)
    {
        var spec = service.Spec ?? new ServiceSpec();
        var ports = PortsText(spec.Ports);
        return
        [
            service.Metadata.Name,
            spec.Type,
            spec.ClusterIps.Count > 0 ? spec.ClusterIps[0] : "<none>",
            ExternalIp(service),
            ports.Length == 0 ? "<none>" : ports,
            Age(service, now),
            LabelSelectors.FormatLabels(spec.Selector),
        ];
    }

    /// <summary>kubectl's makePortString: <c>80/TCP,443:30443/TCP</c>.</summary>
    public static string PortsText(IEnumerable<ServicePort> ports) =>
        string.Join(",", ports.Select(p => p.NodePort > 0 ? $"{N(p.Port)}:{N(p.NodePort)}/{p.Protocol}" : $"{N(p.Port)}/{p.Protocol}"));

    /// <summary>
    /// The server's getServiceExternalIP (wide, so never clipped): load balancer addresses sorted and unique, then the
    /// external IPs. HostDaemons sets no load balancer status, so a LoadBalancer stays pending.
    /// </summary>
    private static string ExternalIp(Service service)
    {
        var spec = service.Spec ?? new ServiceSpec();
        var external = string.Join(",", spec.ExternalIps);
        var ingress = string.Join(",", (service.Status?.LoadBalancer?.Ingress.Select(i => i.Ip.Length > 0 ? i.Ip : i.Hostname) ?? [])
            .Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return spec.Type switch
        {
            "ClusterIP" or "NodePort" => external.Length > 0 ? external : "<none>",
            "LoadBalancer" => string.Join(",", new[] { ingress, external }.Where(t => t.Length > 0)) is { Length: > 0 } both ? both : "<pending>",
            "ExternalName" => spec.ExternalName,
            _ => "<unknown>",
        };
    }

    private static object[] EndpointSliceCells(EndpointSlice slice, DateTimeOffset now)
    {
        var ports = slice.Ports.Select(p => p.HasPort ? N(p.Port) : p.HasName ? p.Name : "*").ToList();
        var addresses = slice.Endpoints.SelectMany(e => e.Addresses).ToList();
        return [slice.Metadata.Name, slice.AddressType, ListWithMore(ports), ListWithMore(addresses), Age(slice, now)];
    }

    /// <summary>kubectl's listWithMoreString: the first three, <c>+ N more...</c>, or <c>&lt;unset&gt;</c> for none.</summary>
    private static string ListWithMore(IReadOnlyList<string> items)
    {
        var shown = string.Join(",", items.Take(MaxListed));
        if (items.Count > MaxListed)
        {
            return $"{shown} + {N(items.Count - MaxListed)} more...";
        }

        return shown.Length == 0 ? "<unset>" : shown;
    }

    private static object[] BindingCells(string name, RoleRef? roleRef, IEnumerable<Subject> subjects, string age)
    {
        var list = subjects.ToList();
        string Names(string kind) => string.Join(", ", list.Where(s => s.Kind == kind).Select(s => kind == "ServiceAccount" ? $"{s.Namespace}/{s.Name}" : s.Name));
        return [name, $"{roleRef?.Kind}/{roleRef?.Name}", age, Names("User"), Names("Group"), Names("ServiceAccount")];
    }

    /// <summary>The default table convertor's CREATED AT: the creation time in UTC, RFC 3339 (Go's zero time when unset).</summary>
    private static string CreatedAt(IKubeObject value) =>
        value.Metadata.CreationTimestamp is { } created
            ? created.ToDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : "0001-01-01T00:00:00Z";
}
