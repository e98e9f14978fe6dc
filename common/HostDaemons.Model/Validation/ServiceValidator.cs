using System.Net;
using System.Net.Sockets;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>
/// Kubernetes' Service defaults (SetDefaults_Service, and the families the API server fills in) and validation
/// (ValidateService, ValidateServiceUpdate), with their messages. HostDaemons allocates no virtual IPs: a Service's
/// <c>clusterIP</c> is what was written (empty, <c>None</c> for a headless Service, or an address kept as written).
/// </summary>
public static class ServiceValidator
{
    public const string ClusterIPNone = "None";

    private static readonly string[] s_types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] s_protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] s_sessionAffinities = ["ClientIP", "None"];
    private static readonly string[] s_trafficPolicies = ["Cluster", "Local"];
    private static readonly string[] s_ipFamilyPolicies = ["PreferDualStack", "RequireDualStack", "SingleStack"];
    private static readonly string[] s_ipFamilies = ["IPv4", "IPv6"];

    /// <summary>A headless Service (<c>clusterIP: None</c>): discovery only, which is all HostDaemons does for any Service.</summary>
    public static bool IsHeadless(Service service) => service.Spec?.ClusterIp == ClusterIPNone;

    /// <summary>Kubernetes' ExternallyAccessible: a NodePort or LoadBalancer Service, or a ClusterIP one with external IPs.</summary>
    public static bool IsExternallyAccessible(ServiceSpec spec) =>
        spec.Type is "NodePort" or "LoadBalancer" || (spec.Type == "ClusterIP" && spec.ExternalIps.Count > 0);

    public static void ApplyDefaults(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        ObjectValidator.ApplyTypeDefaults(service);
        var spec = service.Spec ??= new ServiceSpec();
        if (spec.Type.Length == 0)
        {
            spec.Type = "ClusterIP";
        }

        if (spec.SessionAffinity.Length == 0)
        {
            spec.SessionAffinity = "None";
        }

        foreach (var port in spec.Ports)
        {
            if (port.Protocol.Length == 0)
            {
                port.Protocol = "TCP";
            }

            if (port.TargetPort is null || port.TargetPort is { ValueCase: IntOrString.ValueOneofCase.IntValue, IntValue: 0 }
                || port.TargetPort is { ValueCase: IntOrString.ValueOneofCase.StringValue, StringValue: "" })
            {
                port.TargetPort = new IntOrString { IntValue = port.Port };
            }
        }

        if (IsExternallyAccessible(spec) && spec.ExternalTrafficPolicy.Length == 0)
        {
            spec.ExternalTrafficPolicy = "Cluster";
        }

        if (spec.Type is "ClusterIP" or "NodePort" or "LoadBalancer")
        {
            if (spec.InternalTrafficPolicy.Length == 0)
            {
                spec.InternalTrafficPolicy = "Cluster";
            }

            // What the API server fills in on a single-stack IPv4 cluster; it allocates the address, HostDaemons does not.
            if (spec.ClusterIps.Count == 0 && spec.ClusterIp.Length > 0)
            {
                spec.ClusterIps.Add(spec.ClusterIp);
            }

            if (spec.IpFamilyPolicy.Length == 0)
            {
                spec.IpFamilyPolicy = "SingleStack";
            }

            if (spec.IpFamilies.Count == 0)
            {
                spec.IpFamilies.Add("IPv4");
            }
        }
    }

    public static ValidationErrors Validate(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(service.Metadata, namespaced: true, "metadata", errors, ObjectNameRule.Dns1035Label);
        var spec = service.Spec ?? new ServiceSpec();
        var headless = spec.ClusterIp == ClusterIPNone;
        if (spec.Ports.Count == 0 && !headless && spec.Type != "ExternalName")
        {
            errors.Required("spec.ports");
        }

        ValidateType(spec, errors);
        ValidatePorts(spec, errors);
        NameValidation.ValidateLabels(spec.Selector, "spec.selector", errors);
        if (spec.SessionAffinity.Length == 0)
        {
            errors.Required("spec.sessionAffinity");
        }
        else if (!s_sessionAffinities.Contains(spec.SessionAffinity))
        {
            errors.NotSupported("spec.sessionAffinity", spec.SessionAffinity, s_sessionAffinities);
        }

        ValidateAddresses(spec, errors);
        ValidateTrafficPolicies(spec, errors);
        return errors;
    }

    /// <summary>A Service's cluster IP, once set, stays (except to or from ExternalName, which has none).</summary>
    public static ValidationErrors ValidateUpdate(Service updated, Service existing)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(existing);
        var errors = new ValidationErrors();
        var (newSpec, oldSpec) = (updated.Spec ?? new ServiceSpec(), existing.Spec ?? new ServiceSpec());
        if (newSpec.Type != "ExternalName" && oldSpec.Type != "ExternalName" && oldSpec.ClusterIp.Length > 0 && newSpec.ClusterIp != oldSpec.ClusterIp)
        {
            errors.Invalid("spec.clusterIP", newSpec.ClusterIp, "field is immutable");
        }

        return errors;
    }

    private static void ValidateType(ServiceSpec spec, ValidationErrors errors)
    {
        if (spec.Type.Length == 0)
        {
            errors.Required("spec.type");
            return;
        }

        if (!s_types.Contains(spec.Type))
        {
            errors.NotSupported("spec.type", spec.Type, s_types);
            return;
        }

        switch (spec.Type)
        {
            case "LoadBalancer" or "NodePort" when spec.ClusterIp == ClusterIPNone:
                errors.Invalid("spec.clusterIP", spec.ClusterIp, $"may not be set to 'None' for {spec.Type} services");
                break;
            case "ExternalName":
                if (spec.ClusterIps.Count > 0 || spec.ClusterIp.Length > 0)
                {
                    errors.Forbidden("spec.clusterIPs", "may not be set for ExternalName services");
                }

                if (spec.IpFamilies.Count > 0)
                {
                    errors.Forbidden("spec.ipFamilies", "may not be set for ExternalName services");
                }

                if (spec.IpFamilyPolicy.Length > 0)
                {
                    errors.Forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services");
                }

                var name = spec.ExternalName.TrimEnd('.');
                if (name.Length == 0)
                {
                    errors.Required("spec.externalName");
                }
                else if (!NameValidation.IsDns1123Subdomain(name))
                {
                    errors.Invalid("spec.externalName", name, NameValidation.Dns1123SubdomainMessage);
                }

                break;
        }

        if (spec.LoadBalancerSourceRanges.Count > 0 && spec.Type != "LoadBalancer")
        {
            errors.Forbidden("spec.LoadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'");
        }
    }

    private static void ValidatePorts(ServiceSpec spec, ValidationErrors errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<(string, int)>();
        var nodePorts = new HashSet<(string, int)>();
        for (var i = 0; i < spec.Ports.Count; i++)
        {
            var port = spec.Ports[i];
            var path = $"spec.ports[{i}]";
            if (spec.Ports.Count > 1 && port.Name.Length == 0)
            {
                errors.Required($"{path}.name");
            }
            else if (port.Name.Length > 0)
            {
                if (!NameValidation.IsDns1123Label(port.Name))
                {
                    errors.Invalid($"{path}.name", port.Name, port.Name.Length > 63 ? "must be no more than 63 characters" : NameValidation.Dns1123LabelMessage);
                }

                if (!names.Add(port.Name))
                {
                    errors.Duplicate($"{path}.name", port.Name);
                }
            }

            if (!PortValidation.IsPortNumber(port.Port))
            {
                errors.Invalid($"{path}.port", port.Port, PortValidation.PortNumberMessage);
            }

            if (port.Protocol.Length == 0)
            {
                errors.Required($"{path}.protocol");
            }
            else if (!s_protocols.Contains(port.Protocol))
            {
                errors.NotSupported($"{path}.protocol", port.Protocol, s_protocols);
            }

            if (port.TargetPort is { } target)
            {
                PortValidation.ValidateNumberOrName(target, $"{path}.targetPort", errors);
            }

            if (port.HasAppProtocol && NameValidation.CheckQualifiedName(port.AppProtocol) is { } appProblem)
            {
                errors.Invalid($"{path}.appProtocol", port.AppProtocol, appProblem);
            }

            if (port.NodePort != 0)
            {
                if (spec.Type == "ClusterIP")
                {
                    errors.Forbidden($"{path}.nodePort", "may not be used when `type` is 'ClusterIP'");
                }
                else if (!PortValidation.IsPortNumber(port.NodePort))
                {
                    errors.Invalid($"{path}.nodePort", port.NodePort, PortValidation.PortNumberMessage);
                }
                else if (!nodePorts.Add((port.Protocol, port.NodePort)))
                {
                    errors.Duplicate($"{path}.nodePort", port.NodePort);
                }
            }

            if (!seen.Add((port.Protocol, port.Port)))
            {
                errors.Duplicate(path, new RawValue(GoServicePort(port.Protocol, port.Port)));
            }
        }
    }

    private static void ValidateAddresses(ServiceSpec spec, ValidationErrors errors)
    {
        if (spec.ClusterIp.Length > 0 && spec.ClusterIp != ClusterIPNone && !IPAddress.TryParse(spec.ClusterIp, out _))
        {
            errors.Invalid("spec.clusterIP", spec.ClusterIp, "must be empty, 'None', or a valid IP address");
        }

        if (spec.ClusterIps.Count > 0 && spec.ClusterIps[0] != spec.ClusterIp)
        {
            errors.Invalid("spec.clusterIPs", new RawValue(GoStrings.StringSlice(spec.ClusterIps)), "first value must match `clusterIP`");
        }

        for (var i = 0; i < spec.ExternalIps.Count; i++)
        {
            if (!IPAddress.TryParse(spec.ExternalIps[i], out var address) || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            {
                errors.Invalid($"spec.externalIPs[{i}]", spec.ExternalIps[i], NameValidation.IpAddressMessage);
            }
        }

        if (spec.IpFamilyPolicy.Length > 0 && !s_ipFamilyPolicies.Contains(spec.IpFamilyPolicy))
        {
            errors.NotSupported("spec.ipFamilyPolicy", spec.IpFamilyPolicy, s_ipFamilyPolicies);
        }

        var families = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.IpFamilies.Count; i++)
        {
            var family = spec.IpFamilies[i];
            if (!s_ipFamilies.Contains(family))
            {
                errors.NotSupported($"spec.ipFamilies[{i}]", family, s_ipFamilies);
            }
            else if (!families.Add(family))
            {
                errors.Duplicate($"spec.ipFamilies[{i}]", family);
            }
        }

        if (spec.IpFamilies.Count > 1 && spec.IpFamilyPolicy == "SingleStack")
        {
            errors.Invalid("spec.ipFamilies", new RawValue(GoStrings.StringSlice(spec.IpFamilies)), "when ipFamilyPolicy is SingleStack, only one ipFamily may be specified");
        }
    }

    private static void ValidateTrafficPolicies(ServiceSpec spec, ValidationErrors errors)
    {
        if (spec.InternalTrafficPolicy.Length == 0)
        {
            if (spec.Type is "ClusterIP" or "NodePort" or "LoadBalancer")
            {
                errors.Required("spec.internalTrafficPolicy", "must be specified when `type` is 'ClusterIP', 'NodePort', or 'LoadBalancer'");
            }
        }
        else if (!s_trafficPolicies.Contains(spec.InternalTrafficPolicy))
        {
            errors.NotSupported("spec.internalTrafficPolicy", spec.InternalTrafficPolicy, s_trafficPolicies);
        }

        if (!IsExternallyAccessible(spec))
        {
            if (spec.ExternalTrafficPolicy.Length > 0)
            {
                errors.Invalid("spec.externalTrafficPolicy", spec.ExternalTrafficPolicy, "may only be set for externally-accessible services");
            }
        }
        else if (spec.ExternalTrafficPolicy.Length == 0)
        {
            errors.Required("spec.externalTrafficPolicy");
        }
        else if (!s_trafficPolicies.Contains(spec.ExternalTrafficPolicy))
        {
            errors.NotSupported("spec.externalTrafficPolicy", spec.ExternalTrafficPolicy, s_trafficPolicies);
        }

        if (spec.HasHealthCheckNodePort && (spec.Type != "LoadBalancer" || spec.ExternalTrafficPolicy != "Local"))
        {
            errors.Invalid("spec.healthCheckNodePort", spec.HealthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
        }
    }

    /// <summary>How Kubernetes prints the (protocol, port) key of a duplicate port: Go's <c>%#v</c> of a ServicePort.</summary>
    private static string GoServicePort(string protocol, int port) =>
        $"core.ServicePort{{Name:\"\", Protocol:\"{protocol}\", AppProtocol:(*string)(nil), Port:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}";
}
