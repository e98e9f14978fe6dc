using System.Net;
using System.Net.Sockets;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>
/// Kubernetes' ValidateEndpointSlice (discovery.k8s.io/v1). HostDaemons writes EndpointSlices itself (one set per
/// Service); these rules keep what it writes, and any read from a manifest, to Kubernetes' shape.
/// </summary>
public static class EndpointSliceValidator
{
    private const int MaxEndpoints = 1000;
    private const int MaxPorts = 100;
    private const int MaxAddresses = 100;

    private static readonly string[] s_addressTypes = ["FQDN", "IPv4", "IPv6"];
    private static readonly string[] s_protocols = ["SCTP", "TCP", "UDP"];

    public static ValidationErrors Validate(EndpointSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(slice.Metadata, namespaced: true, "metadata", errors);
        if (slice.AddressType.Length == 0)
        {
            errors.Required("addressType");
        }
        else if (!s_addressTypes.Contains(slice.AddressType))
        {
            errors.NotSupported("addressType", slice.AddressType, s_addressTypes);
        }

        if (slice.Endpoints.Count > MaxEndpoints)
        {
            errors.Add(new FieldError("endpoints", FieldErrorType.TooMany, "must have at most 1000 items", slice.Endpoints.Count));
        }

        for (var i = 0; i < slice.Endpoints.Count; i++)
        {
            ValidateEndpoint(slice.Endpoints[i], slice.AddressType, $"endpoints[{i}]", errors);
        }

        if (slice.Ports.Count > MaxPorts)
        {
            errors.Add(new FieldError("ports", FieldErrorType.TooMany, "must have at most 100 items", slice.Ports.Count));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < slice.Ports.Count; i++)
        {
            var port = slice.Ports[i];
            var path = $"ports[{i}]";
            if (port.HasName && port.Name.Length > 0 && !NameValidation.IsDns1123Label(port.Name))
            {
                errors.Invalid($"{path}.name", port.Name, NameValidation.Dns1123LabelMessage);
            }

            if (!names.Add(port.HasName ? port.Name : ""))
            {
                errors.Duplicate($"{path}.name", port.HasName ? port.Name : "");
            }

            if (!port.HasProtocol)
            {
                errors.Required($"{path}.protocol");
            }
            else if (!s_protocols.Contains(port.Protocol))
            {
                errors.NotSupported($"{path}.protocol", port.Protocol, s_protocols);
            }

            if (port.HasPort && !PortValidation.IsPortNumber(port.Port))
            {
                errors.Invalid($"{path}.port", port.Port, PortValidation.PortNumberMessage);
            }

            if (port.HasAppProtocol && NameValidation.CheckQualifiedName(port.AppProtocol) is { } problem)
            {
                errors.Invalid($"{path}.appProtocol", port.AppProtocol, problem);
            }
        }

        return errors;
    }

    private static void ValidateEndpoint(Endpoint endpoint, string addressType, string path, ValidationErrors errors)
    {
        if (endpoint.Addresses.Count == 0)
        {
            errors.Required($"{path}.addresses", "must contain at least 1 address");
        }
        else if (endpoint.Addresses.Count > MaxAddresses)
        {
            errors.Add(new FieldError($"{path}.addresses", FieldErrorType.TooMany, "must have at most 100 items", endpoint.Addresses.Count));
        }

        for (var i = 0; i < Math.Min(endpoint.Addresses.Count, 1); i++)
        {
            var address = endpoint.Addresses[i];
            var family = IPAddress.TryParse(address, out var parsed) ? parsed.AddressFamily : AddressFamily.Unknown;
            switch (addressType)
            {
                case "IPv4" when family != AddressFamily.InterNetwork:
                    errors.Invalid($"{path}.addresses[{i}]", address, "must be a valid IPv4 address");
                    break;
                case "IPv6" when family != AddressFamily.InterNetworkV6:
                    errors.Invalid($"{path}.addresses[{i}]", address, "must be a valid IPv6 address");
                    break;
                case "FQDN" when !NameValidation.IsDns1123Subdomain(address):
                    errors.Invalid($"{path}.addresses[{i}]", address, NameValidation.Dns1123SubdomainMessage);
                    break;
            }
        }

        if (endpoint.HasNodeName && !NameValidation.IsDns1123Subdomain(endpoint.NodeName))
        {
            errors.Invalid($"{path}.nodeName", endpoint.NodeName, NameValidation.Dns1123SubdomainMessage);
        }

        if (endpoint.HasHostname && !NameValidation.IsDns1123Label(endpoint.Hostname))
        {
            errors.Invalid($"{path}.hostname", endpoint.Hostname, NameValidation.Dns1123LabelMessage);
        }
    }
}
