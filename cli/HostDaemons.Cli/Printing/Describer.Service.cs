using System.Globalization;
using HostDaemons.Model.Labels;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>Services' and EndpointSlices' descriptions.</summary>
internal sealed partial class Describer
{
    private const int MaxEndpointsShown = 3;

    /// <summary>kubectl's describeService; <paramref name="slices"/> are the Service's EndpointSlices, which give each port's Endpoints line.</summary>
    public string Service(Service service, IReadOnlyList<EndpointSlice> slices, IEnumerable<Event> events)
    {
        var meta = service.Metadata ?? new ObjectMeta();
        var spec = service.Spec ?? new ServiceSpec();
        var w = Header(meta);
        w.Write(0, $"Selector:\t{LabelSelectors.FormatLabels(spec.Selector)}\n");
        w.Write(0, $"Type:\t{spec.Type}\n");
        if (spec.IpFamilyPolicy.Length > 0)
        {
            w.Write(0, $"IP Family Policy:\t{spec.IpFamilyPolicy}\n");
        }

        w.Write(0, $"IP Families:\t{(spec.IpFamilies.Count > 0 ? string.Join(",", spec.IpFamilies) : "<none>")}\n");
        w.Write(0, $"IP:\t{spec.ClusterIp}\n");
        w.Write(0, $"IPs:\t{(spec.ClusterIps.Count > 0 ? string.Join(",", spec.ClusterIps) : "<none>")}\n");
        if (spec.ExternalIps.Count > 0)
        {
            w.Write(0, $"External IPs:\t{string.Join(",", spec.ExternalIps)}\n");
        }

        if (spec.LoadBalancerIp.Length > 0)
        {
            w.Write(0, $"Desired LoadBalancer IP:\t{spec.LoadBalancerIp}\n");
        }

        if (spec.ExternalName.Length > 0)
        {
            w.Write(0, $"External Name:\t{spec.ExternalName}\n");
        }

        foreach (var port in spec.Ports)
        {
            var name = port.Name.Length == 0 ? "<unset>" : port.Name;
            w.Write(0, $"Port:\t{name}\t{N(port.Port)}/{port.Protocol}\n");
            var target = port.TargetPort is { ValueCase: IntOrString.ValueOneofCase.StringValue } named ? named.StringValue : N(port.TargetPort?.IntValue ?? 0);
            w.Write(0, $"TargetPort:\t{target}/{port.Protocol}\n");
            if (port.NodePort != 0)
            {
                w.Write(0, $"NodePort:\t{name}\t{N(port.NodePort)}/{port.Protocol}\n");
            }

            w.Write(0, $"Endpoints:\t{EndpointsText(slices, port.Name)}\n");
        }

        w.Write(0, $"Session Affinity:\t{spec.SessionAffinity}\n");
        if (spec.ExternalTrafficPolicy.Length > 0)
        {
            w.Write(0, $"External Traffic Policy:\t{spec.ExternalTrafficPolicy}\n");
        }

        if (spec.InternalTrafficPolicy.Length > 0)
        {
            w.Write(0, $"Internal Traffic Policy:\t{spec.InternalTrafficPolicy}\n");
        }

        if (spec.HasHealthCheckNodePort)
        {
            w.Write(0, $"HealthCheck NodePort:\t{N(spec.HealthCheckNodePort)}\n");
        }

        if (spec.LoadBalancerSourceRanges.Count > 0)
        {
            w.Write(0, $"LoadBalancer Source Ranges:\t{string.Join(",", spec.LoadBalancerSourceRanges)}\n");
        }

        Events(w, About(events, service));
        return w.ToString();
    }

    /// <summary>kubectl's describeEndpointSliceV1.</summary>
    public string EndpointSlice(EndpointSlice slice, IEnumerable<Event> events)
    {
        var meta = slice.Metadata ?? new ObjectMeta();
        var w = Header(meta);
        w.Write(0, $"AddressType:\t{slice.AddressType}\n");
        if (slice.Ports.Count == 0)
        {
            w.Write(0, "Ports: <unset>\n");
        }
        else
        {
            w.Write(0, "Ports:\n");
            w.Write(1, "Name\tPort\tProtocol\n");
            w.Write(1, "----\t----\t--------\n");
            foreach (var port in slice.Ports)
            {
                w.Write(1, $"{(port.HasName && port.Name.Length > 0 ? port.Name : "<unset>")}\t{(port.HasPort ? N(port.Port) : "<unset>")}\t{port.Protocol}\n");
            }
        }

        if (slice.Endpoints.Count == 0)
        {
            w.Write(0, "Endpoints: <none>\n");
        }
        else
        {
            w.Write(0, "Endpoints:\n");
            foreach (var endpoint in slice.Endpoints)
            {
                w.Write(1, $"- Addresses:\t{(endpoint.Addresses.Count == 0 ? "<none>" : string.Join(", ", endpoint.Addresses))}\n");
                w.Write(2, "Conditions:\n");
                w.Write(3, $"Ready:\t{(endpoint.Conditions?.HasReady == true ? (endpoint.Conditions.Ready ? "true" : "false") : "<unset>")}\n");
                w.Write(2, $"Hostname:\t{(endpoint.HasHostname ? endpoint.Hostname : "<unset>")}\n");
                if (endpoint.TargetRef is { } target)
                {
                    w.Write(2, $"TargetRef:\t{target.Kind}/{target.Name}\n");
                }

                w.Write(2, $"NodeName:\t{(endpoint.HasNodeName ? endpoint.NodeName : "<unset>")}\n");
                w.Write(2, $"Zone:\t{(endpoint.HasZone ? endpoint.Zone : "<unset>")}\n");
            }
        }

        Events(w, About(events, slice));
        return w.ToString();
    }

    /// <summary>
    /// kubectl's formatEndpointSlices for one Service port: the ready endpoints' <c>address:port</c> (or only the address
    /// for a slice without ports), three at most and <c>+ N more...</c>; <c>&lt;none&gt;</c> without slices.
    /// </summary>
    private static string EndpointsText(IReadOnlyList<EndpointSlice> slices, string portName)
    {
        if (slices.Count == 0)
        {
            return "<none>";
        }

        var shown = new List<string>();
        var count = 0;
        var more = false;
        foreach (var slice in slices)
        {
            var targets = slice.Ports.Count == 0
                ? slice.Endpoints.Select(e => (Endpoint: e, Port: (EndpointPort?)null))
                : slice.Ports.Where(p => (p.HasName ? p.Name : "") == portName).SelectMany(p => slice.Endpoints.Select(e => (Endpoint: e, Port: (EndpointPort?)p)));
            foreach (var (endpoint, port) in targets)
            {
                if (shown.Count == MaxEndpointsShown)
                {
                    more = true;
                }

                if (endpoint.Conditions?.HasReady == true && !endpoint.Conditions.Ready)
                {
                    continue;
                }

                if (!more)
                {
                    var address = endpoint.Addresses.FirstOrDefault() ?? "";
                    shown.Add(port is null ? address : $"{(address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address)}:{N(port.Port)}");
                }

                count++;
            }
        }

        var text = string.Join(",", shown);
        return more ? $"{text} + {(count - MaxEndpointsShown).ToString(CultureInfo.InvariantCulture)} more..." : text;
    }
}
