using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// What a node may write, after Kubernetes' NodeRestriction admission, worded as it words its refusals. A node only
/// ever writes its own Node (the name is its identity) and never its spec (taints, <c>unschedulable</c>): the node
/// API has no field for them.
/// </summary>
internal static class NodeRestriction
{
    /// <summary>Refuses a registration that carries a label the node may not set on itself (<see cref="NodeLabelRestriction"/>).</summary>
    public static void CheckRegistrationLabels(string nodeName, IEnumerable<string> keys)
    {
        var forbidden = NodeLabelRestriction.Forbidden(keys);
        if (forbidden.Count > 0)
        {
            throw ApiErrors.Forbidden(ResourceKind.Node, nodeName,
                $"node \"{nodeName}\" is not allowed to set the following labels: {string.Join(", ", forbidden)} ({NodeLabelRestriction.Rule})");
        }
    }

    /// <summary>
    /// Why the node may not create <paramref name="mirror"/>, or null when it may: a mirror pod may reference no
    /// service account, Secret or ConfigMap (image pull secrets included). Every reference is named by its field.
    /// </summary>
    public static string? MirrorPodProblem(string nodeName, Pod mirror)
    {
        var references = PodApiReferences.Of(mirror.Spec);
        return references.Count == 0
            ? null
            : $"node \"{nodeName}\" can not create pods that reference API objects: {string.Join(", ", references.Select(r => $"{r.Path} names {r.Reference}"))}";
    }
}
