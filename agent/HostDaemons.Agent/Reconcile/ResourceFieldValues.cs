using System.Globalization;
using HostDaemons.Model.Quantities;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// The downward API's <c>resourceFieldRef</c>, as the kubelet computes it: a container's limit or request, divided
/// by the divisor (default 1) and rounded up; cpu in millicores against the divisor's millicores, everything else in
/// bytes. A limit that is not set is the node's allocatable; a request that is not set is its limit (Kubernetes'
/// defaulting), else 0.
/// </summary>
internal static class ResourceFieldValues
{
    /// <exception cref="InvalidOperationException">The container or the resource does not exist, with the kubelet's message.</exception>
    public static string Value(Pod pod, ResourceFieldSelector selector, string currentContainer, NodeAllocatable allocatable)
    {
        var name = selector.ContainerName.Length > 0 ? selector.ContainerName : currentContainer;
        var container = pod.Spec.Containers.Concat(pod.Spec.InitContainers).FirstOrDefault(c => c.Name == name)
            ?? throw new InvalidOperationException($"container {name} not found");
        var dot = selector.Resource.IndexOf('.', StringComparison.Ordinal);
        var kind = dot > 0 ? selector.Resource[..dot] : "";
        var resource = dot > 0 ? selector.Resource[(dot + 1)..] : "";
        if (kind is not ("limits" or "requests") || resource.Length == 0)
        {
            throw new InvalidOperationException($"unsupported container resource : {selector.Resource}");
        }

        var limit = Amount(container.Resources?.Limits, resource) ?? Allocatable(resource, allocatable);
        var amount = kind == "limits" ? limit : Amount(container.Resources?.Requests, resource) ?? Amount(container.Resources?.Limits, resource) ?? 0m;
        var divisor = selector.Divisor.Length > 0 && Quantity.TryParse(selector.Divisor, out var parsed) && parsed > 0 ? parsed : 1m;
        var result = resource == "cpu"
            ? Math.Ceiling((decimal)Quantity.ToMilli(amount) / Quantity.ToMilli(divisor))
            : Math.Ceiling(Math.Ceiling(amount) / Math.Ceiling(divisor));
        return ((long)result).ToString(CultureInfo.InvariantCulture);
    }

    private static decimal? Amount(IDictionary<string, string>? list, string resource) =>
        list is not null && list.TryGetValue(resource, out var text) && Quantity.TryParse(text, out var value) ? value : null;

    private static decimal Allocatable(string resource, NodeAllocatable allocatable) => resource switch
    {
        "cpu" => allocatable.CpuMillis / 1000m,
        "memory" => allocatable.MemoryBytes,
        "ephemeral-storage" => allocatable.EphemeralStorageBytes,
        _ => 0m,
    };
}
