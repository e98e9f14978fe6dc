using HostDaemons.Api.V1;

namespace HostDaemons.ControlPlane.Security;

/// <summary>Who may call a gRPC service or method.</summary>
internal enum ApiAudience
{
    /// <summary>Anyone, with or without credentials (health checks; the join and CA-bundle calls).</summary>
    Anyone,

    /// <summary>Nodes only: <c>system:node:NAME</c> in <c>system:nodes</c>.</summary>
    Nodes,

    /// <summary>Authenticated users that are not nodes; RBAC then decides per request (AuthorizationInterceptor).</summary>
    Users,
}

/// <summary>
/// The one table of who may call what, by gRPC service, with exceptions by method. Fail closed: a service missing
/// here is refused to everyone, so a new service must say who it is for. Joining has its own services: the
/// unauthenticated <c>JoinService</c>, the nodes' <c>NodeCertificateService</c> and the administrators' <c>JoinAdminService</c>.
/// </summary>
internal static class ApiAccessPolicy
{
    private static readonly Dictionary<string, ApiAudience> s_services = new(StringComparer.Ordinal)
    {
        [AdminService.Descriptor.FullName] = ApiAudience.Users,
        [NodeService.Descriptor.FullName] = ApiAudience.Nodes,
        [JoinService.Descriptor.FullName] = ApiAudience.Anyone,
        [NodeCertificateService.Descriptor.FullName] = ApiAudience.Nodes,
        [JoinAdminService.Descriptor.FullName] = ApiAudience.Users,
        [UserCredentialService.Descriptor.FullName] = ApiAudience.Users,
        ["grpc.health.v1.Health"] = ApiAudience.Anyone,
    };

    /// <summary>The service table looked up by a slice of the method name: every call asks, and allocates nothing to.</summary>
    private static readonly Dictionary<string, ApiAudience>.AlternateLookup<ReadOnlySpan<char>> s_servicesBySpan =
        s_services.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Methods whose audience is not their service's, by full method name (<c>/package.Service/Method</c>).</summary>
    private static readonly Dictionary<string, ApiAudience> s_methods = new(StringComparer.Ordinal);

    /// <summary>The audience of a method (<c>/hostdaemons.v1.AdminService/Apply</c>); null when the policy does not know it.</summary>
    public static ApiAudience? For(string method)
    {
        if (s_methods.TryGetValue(method, out var audience))
        {
            return audience;
        }

        var service = Service(method);
        return !service.IsEmpty && s_servicesBySpan.TryGetValue(service, out audience) ? audience : null;
    }

    /// <summary>The API a method belongs to, as messages name it: <c>the node API (hostdaemons.v1.NodeService/Register)</c>.</summary>
    public static string Describe(string method) => For(method) switch
    {
        ApiAudience.Nodes => $"the node API ({method.TrimStart('/')})",
        ApiAudience.Users => $"the admin API ({method.TrimStart('/')})",
        _ => method.TrimStart('/'),
    };

    private static ReadOnlySpan<char> Service(string method)
    {
        var trimmed = method.AsSpan().TrimStart('/');
        var slash = trimmed.IndexOf('/');
        return slash > 0 ? trimmed[..slash] : [];
    }
}
