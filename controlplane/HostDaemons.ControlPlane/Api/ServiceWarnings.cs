using HostDaemons.Api.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// What applying a Service tells its author: HostDaemons has no service proxy, so a Service that is not headless gets
/// none of the virtual IP, node port or load balancer its type asks for; only its EndpointSlices are kept.
/// </summary>
internal static class ServiceWarnings
{
    public static ApplyResponse Add(ApplyResponse response)
    {
        if (response.Object?.Service is { } service && !ServiceValidator.IsHeadless(service))
        {
            response.Warnings.Add(For(service.Metadata.Name, service.Spec?.Type ?? ""));
        }

        return response;
    }

    public static string For(string name, string type) =>
        $"Service \"{name}\" is of type {type}: HostDaemons programs no virtual IPs or load balancers and only keeps the Service's EndpointSlices; set clusterIP: None to make it headless";
}
