using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>A log request resolved against the store: the pod's node and what its agent is asked, with kubectl's errors.</summary>
internal static class PodLogRequests
{
    public static (string NodeName, PodLogsRequest AgentRequest) Resolve(IObjectStore store, LogsRequest request)
    {
        var ns = request.Namespace.Length == 0 ? ObjectDefaults.DefaultNamespace : request.Namespace;
        var pod = store.Get<Pod>(ns, request.Pod) ?? throw ApiErrors.NotFound(ResourceKind.Pod, request.Pod);
        var options = request.Options ?? new PodLogOptions();
        var names = pod.Spec.Containers.Select(c => c.Name).ToList();
        if (options.Container.Length == 0)
        {
            if (names.Count != 1)
            {
                throw ApiErrors.BadRequest($"a container name must be specified for pod {pod.Metadata.Name}, choose one of: [{string.Join(" ", names)}]");
            }

            options = options.Clone();
            options.Container = names[0];
        }
        else if (!names.Contains(options.Container))
        {
            throw ApiErrors.BadRequest($"container {options.Container} is not valid for pod {pod.Metadata.Name}");
        }

        if (pod.Spec.NodeName.Length == 0)
        {
            throw ApiErrors.BadRequest($"pod {pod.Metadata.Name} is not assigned to a node yet");
        }

        return (pod.Spec.NodeName, new PodLogsRequest
        {
            Pod = new PodKey { Namespace = ns, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
            Options = options,
        });
    }
}
