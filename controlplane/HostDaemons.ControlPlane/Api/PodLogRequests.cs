using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>A log request resolved against the store: the pod's node and what its agent is asked, with kubectl's errors.</summary>
internal static class PodLogRequests
{
    /// <summary>Kubernetes' ValidatePodLogOptions, for the options hdctl and the REST API both send.</summary>
    public static List<FieldError> Validate(PodLogOptions options)
    {
        var errors = new List<FieldError>();
        if (options.HasSinceSeconds && options.SinceTime is not null)
        {
            errors.Add(new FieldError("", FieldErrorType.Forbidden, "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        }
        else if (options.HasSinceSeconds && options.SinceSeconds < 1)
        {
            errors.Add(new FieldError("sinceSeconds", FieldErrorType.Invalid, "must be greater than 0", options.SinceSeconds));
        }

        return errors;
    }

    public static (string NodeName, PodLogsRequest AgentRequest) Resolve(IObjectStore store, LogsRequest request)
    {
        var ns = request.Namespace.Length == 0 ? ObjectDefaults.DefaultNamespace : request.Namespace;
        var pod = store.Get<Pod>(ns, request.Pod) ?? throw ApiErrors.NotFound(ResourceKind.Pod, request.Pod);
        var options = request.Options ?? new PodLogOptions();
        if (Validate(options) is { Count: > 0 } errors)
        {
            throw ApiErrors.InvalidOptions("PodLogOptions", request.Pod, errors);
        }

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
