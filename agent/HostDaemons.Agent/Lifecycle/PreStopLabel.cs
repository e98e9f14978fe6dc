using HostDaemons.Agent.Runtime;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Lifecycle;

/// <summary>
/// A container's preStop handler kept on the container itself (JSON in a label, as the kubelet keeps it in an
/// annotation), with a named httpGet port already resolved: every graceful stop runs it, also when the pod spec is no
/// longer at hand (the pod vanished while the agent was down, a static pod's manifest was removed).
/// </summary>
internal static class PreStopLabel
{
    /// <summary>The labels that carry <paramref name="container"/>'s preStop handler; none when it has none.</summary>
    public static IEnumerable<KeyValuePair<string, string>> For(Pod pod, Container container)
    {
        if (container.Lifecycle?.PreStop is not { } handler)
        {
            yield break;
        }

        yield return new(ContainerLabels.PreStop, ObjectEncoder.Encode(LifecycleHookRunner.WithResolvedPort(handler, container)).ToJsonString());
        if (pod.Spec.HostNetwork)
        {
            yield return new(ContainerLabels.HostNetwork, "true");
        }
    }

    /// <summary>The preStop handler of a container instance, or null when it has none (or the label cannot be read).</summary>
    public static LifecycleHandler? Read(IReadOnlyDictionary<string, string> labels)
    {
        if (!labels.TryGetValue(ContainerLabels.PreStop, out var json) || json.Length == 0)
        {
            return null;
        }

        var documents = ManifestParser.Parse(json);
        if (documents.Count != 1 || documents[0].Root is not { } root)
        {
            return null;
        }

        var decoded = ObjectDecoder.Decode(root, LifecycleHandler.Parser);
        return decoded.Succeeded ? decoded.Value : null;
    }
}
