using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;
using Endpoint = HostDaemons.Model.V1.Endpoint;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>What one sync of a Service's EndpointSlices writes: slices to create, to update and to delete.</summary>
internal sealed record EndpointSlicePlan(IReadOnlyList<EndpointSlice> Creates, IReadOnlyList<EndpointSlice> Updates, IReadOnlyList<EndpointSlice> Deletes)
{
    public bool IsEmpty => Creates.Count == 0 && Updates.Count == 0 && Deletes.Count == 0;
}

/// <summary>
/// Kubernetes' EndpointSlice reconciler, as a pure function: from a Service, the pods of its namespace, their nodes and
/// the slices it has, the slices it should have. One endpoint per pod the selector matches that has an IPv4 address
/// (a hostNetwork pod's is its node's) and has not finished, ready as the pod is (or always, with
/// <c>publishNotReadyAddresses</c>; never while terminating), serving and terminating as Kubernetes sets them; the
/// Service's ports resolved for each pod (a named target port is the pod's container port of that name and protocol).
/// Pods whose ports resolve alike share slices (at most 100 endpoints each); a Service without endpoints keeps one
/// empty slice. Existing slices are reused by their ports, so names stay stable, and written only when they change.
/// Services without a selector, ExternalName ones and deleted ones get no slices.
/// </summary>
internal static class EndpointSlicePlanner
{
    public const int MaxEndpointsPerSlice = 100;

    public static EndpointSlicePlan Plan(Service? service, IEnumerable<Pod> pods, Func<string, Node?> node, IReadOnlyList<EndpointSlice> existing,
        Func<string> newName)
    {
        if (service is null || service.Spec is null || service.Spec.Selector.Count == 0 || service.Spec.Type == "ExternalName")
        {
            return new EndpointSlicePlan([], [], [.. existing]);
        }

        var groups = new SortedDictionary<string, (List<EndpointPort> Ports, List<(string Pod, Endpoint Endpoint)> Endpoints)>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => p.Metadata.Namespace == service.Metadata.Namespace && Selects(service, p)))
        {
            if (EndpointFor(service, pod, node) is not { } endpoint)
            {
                continue;
            }

            var ports = Ports(service, pod);
            var key = PortsKey(ports);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (ports, []);
            }

            group.Endpoints.Add((pod.Metadata.Name, endpoint));
        }

        if (groups.Count == 0)
        {
            groups[PortsKey([])] = ([], []);
        }

        var unused = existing.GroupBy(s => PortsKey(s.Ports)).ToDictionary(g => g.Key, g => new Queue<EndpointSlice>(g.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal)));
        var (creates, updates) = (new List<EndpointSlice>(), new List<EndpointSlice>());
        foreach (var (key, group) in groups)
        {
            var endpoints = group.Endpoints.OrderBy(e => e.Pod, StringComparer.Ordinal).Select(e => e.Endpoint).ToList();
            var chunks = endpoints.Count == 0 ? [[]] : endpoints.Chunk(MaxEndpointsPerSlice).ToList();
            foreach (var chunk in chunks)
            {
                if (unused.TryGetValue(key, out var reusable) && reusable.TryDequeue(out var current))
                {
                    var desired = Desired(service, current.Metadata.Name, group.Ports, chunk);
                    if (!SameContent(desired, current))
                    {
                        var updated = current.Clone();
                        updated.Metadata.Labels.Clear();
                        updated.Metadata.Labels.Add(desired.Metadata.Labels);
                        updated.Metadata.OwnerReferences.Clear();
                        updated.Metadata.OwnerReferences.Add(desired.Metadata.OwnerReferences);
                        updated.AddressType = desired.AddressType;
                        updated.Endpoints.Clear();
                        updated.Endpoints.Add(desired.Endpoints);
                        updated.Ports.Clear();
                        updated.Ports.Add(desired.Ports);
                        updates.Add(updated);
                    }
                }
                else
                {
                    creates.Add(Desired(service, newName(), group.Ports, chunk));
                }
            }
        }

        return new EndpointSlicePlan(creates, updates, [.. unused.Values.SelectMany(q => q)]);
    }

    /// <summary>Whether the Service's selector matches the pod's labels (a Service's selector is a map: every pair must match).</summary>
    public static bool Selects(Service service, Pod pod) =>
        service.Spec is { Selector.Count: > 0 } spec && spec.Selector.All(s => pod.Metadata.Labels.TryGetValue(s.Key, out var value) && value == s.Value);

    /// <summary>Whether a pod change can change an endpoint: what <see cref="EndpointFor"/> and <see cref="Ports"/> read.</summary>
    public static bool AffectsEndpoints(Pod? previous, Pod? current) =>
        previous is null || current is null
        || !previous.Metadata.Labels.Equals(current.Metadata.Labels)
        || !Equals(previous.Metadata.DeletionTimestamp, current.Metadata.DeletionTimestamp)
        || previous.Status?.PodIp != current.Status?.PodIp
        || previous.Status?.HostIp != current.Status?.HostIp
        || previous.Status?.Phase != current.Status?.Phase
        || PodConditions.IsReady(previous) != PodConditions.IsReady(current)
        || previous.Spec?.NodeName != current.Spec?.NodeName
        || !(previous.Spec?.Containers.Select(c => c.Ports) ?? []).SequenceEqual(current.Spec?.Containers.Select(c => c.Ports) ?? []);

    private static Endpoint? EndpointFor(Service service, Pod pod, Func<string, Node?> node)
    {
        var status = pod.Status ?? new PodStatus();
        if (status.Phase is "Succeeded" or "Failed")
        {
            return null;
        }

        var address = status.PodIp.Length > 0 ? status.PodIp : pod.Spec?.HostNetwork == true ? status.HostIp : "";
        if (!System.Net.IPAddress.TryParse(address, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return null;
        }

        var terminating = pod.Metadata.DeletionTimestamp is not null;
        var serving = PodConditions.IsReady(pod);
        var publishNotReady = service.Spec.PublishNotReadyAddresses;
        var endpoint = new Endpoint
        {
            Conditions = new EndpointConditions
            {
                Ready = publishNotReady || (serving && !terminating),
                Serving = serving,
                Terminating = terminating,
            },
            TargetRef = new EventObjectReference { Kind = "Pod", Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
        };
        endpoint.Addresses.Add(address);
        if (pod.Spec?.NodeName is { Length: > 0 } nodeName)
        {
            endpoint.NodeName = nodeName;
            if (node(nodeName)?.Metadata.Labels.TryGetValue("topology.kubernetes.io/zone", out var zone) == true && zone.Length > 0)
            {
                endpoint.Zone = zone;
            }
        }

        return endpoint;
    }

    /// <summary>
    /// Kubernetes' getEndpointPorts: each Service port the pod has, a named target port resolved to the container port
    /// of that name and protocol (a port the pod lacks is left out); a headless Service may have none.
    /// </summary>
    private static List<EndpointPort> Ports(Service service, Pod pod)
    {
        var ports = new List<EndpointPort>();
        foreach (var servicePort in service.Spec.Ports)
        {
            var protocol = servicePort.Protocol.Length == 0 ? "TCP" : servicePort.Protocol;
            int? number = servicePort.TargetPort switch
            {
                null => servicePort.Port,
                { ValueCase: IntOrString.ValueOneofCase.StringValue } named => NamedPort(pod, named.StringValue, protocol),
                var target => target.IntValue,
            };
            if (number is not { } resolved)
            {
                continue;
            }

            var port = new EndpointPort { Name = servicePort.Name, Protocol = protocol, Port = resolved };
            if (servicePort.HasAppProtocol)
            {
                port.AppProtocol = servicePort.AppProtocol;
            }

            ports.Add(port);
        }

        return ports;
    }

    /// <summary>The pod's container port of that name and protocol; sidecars (init containers that keep running) count.</summary>
    private static int? NamedPort(Pod pod, string name, string protocol)
    {
        var spec = pod.Spec ?? new PodSpec();
        var containers = spec.Containers.Concat(spec.InitContainers.Where(c => c.RestartPolicy == "Always"));
        return containers.SelectMany(c => c.Ports)
            .FirstOrDefault(p => p.Name == name && (p.Protocol.Length == 0 ? "TCP" : p.Protocol) == protocol)?.ContainerPort_;
    }

    private static EndpointSlice Desired(Service service, string name, IEnumerable<EndpointPort> ports, IEnumerable<Endpoint> endpoints)
    {
        var slice = new EndpointSlice
        {
            ApiVersion = ResourceKinds.EndpointSlice.ApiVersion,
            Kind = ResourceKinds.EndpointSlice.KindName,
            Metadata = new ObjectMeta { Name = name, GenerateName = service.Metadata.Name + "-", Namespace = service.Metadata.Namespace },
            AddressType = "IPv4",
        };
        foreach (var (key, value) in service.Metadata.Labels.Where(l => l.Key is not (EndpointSliceLabels.ServiceName or EndpointSliceLabels.ManagedBy or EndpointSliceLabels.Headless)))
        {
            slice.Metadata.Labels[key] = value;
        }

        slice.Metadata.Labels[EndpointSliceLabels.ServiceName] = service.Metadata.Name;
        slice.Metadata.Labels[EndpointSliceLabels.ManagedBy] = EndpointSliceLabels.Controller;
        if (ServiceValidator.IsHeadless(service))
        {
            slice.Metadata.Labels[EndpointSliceLabels.Headless] = "";
        }

        slice.Metadata.OwnerReferences.Add(new OwnerReference
        {
            ApiVersion = "v1",
            Kind = "Service",
            Name = service.Metadata.Name,
            Uid = service.Metadata.Uid,
            Controller = true,
            BlockOwnerDeletion = true,
        });
        slice.Ports.Add(ports.Select(p => p.Clone()));
        slice.Endpoints.Add(endpoints);
        return slice;
    }

    private static bool SameContent(EndpointSlice desired, EndpointSlice current) =>
        desired.Metadata.Labels.Equals(current.Metadata.Labels)
        && desired.Metadata.OwnerReferences.Equals(current.Metadata.OwnerReferences)
        && desired.AddressType == current.AddressType
        && desired.Endpoints.Equals(current.Endpoints)
        && desired.Ports.Equals(current.Ports);

    private static string PortsKey(IEnumerable<EndpointPort> ports) =>
        string.Join(";", ports.Select(p => $"{p.Name}/{p.Protocol}/{p.Port}/{p.AppProtocol}"));
}
