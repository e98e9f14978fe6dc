using Grpc.Core;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.Authorization;

/// <summary>
/// Kubernetes' impersonation (kubectl's <c>--as</c> and <c>--as-group</c>): the <c>impersonate-user</c> and
/// <c>impersonate-group</c> headers make the call the named identity's, once the caller is allowed the
/// <c>impersonate</c> verb on <c>users</c> (or on the <c>serviceaccounts</c> of a <c>system:serviceaccount:NS:NAME</c>
/// user) and on <c>groups</c> for each group. The impersonated identity is in <c>system:authenticated</c>, and a
/// service account given without groups in <c>system:serviceaccounts</c> and <c>system:serviceaccounts:NS</c>.
/// </summary>
internal sealed class Impersonation(IAccessAuthorizer authorizer)
{
    public const string UserHeader = "impersonate-user";
    public const string GroupHeader = "impersonate-group";

    /// <summary>The identity the call acts as: <paramref name="caller"/> itself without impersonation headers.</summary>
    public CallerIdentity Apply(CallerIdentity caller, Metadata headers)
    {
        var user = headers.GetValue(UserHeader);
        var groups = headers.Where(h => h.Key == GroupHeader && !h.IsBinary).Select(h => h.Value).ToList();
        if (user is null)
        {
            return groups.Count == 0
                ? caller
                : throw new RpcException(new Status(StatusCode.InvalidArgument, $"requested [{string.Join(" ", groups.Select(g => $"{{Group {g}}}"))}] without impersonating a user"));
        }

        var serviceAccount = RbacPolicy.ParseServiceAccountUser(user);
        Require(serviceAccount is { } sa
            ? new AccessRequest(caller, "impersonate", "", "serviceaccounts", Namespace: sa.Namespace, Name: sa.Name)
            : new AccessRequest(caller, "impersonate", "", "users", Name: user));
        foreach (var group in groups)
        {
            Require(new AccessRequest(caller, "impersonate", "", "groups", Name: group));
        }

        if (groups.Count == 0 && serviceAccount is { } account)
        {
            groups.Add(ServiceAccountGroups.All);
            groups.Add(ServiceAccountGroups.Namespace(account.Namespace));
        }

        if (!groups.Contains(ClusterIdentities.AuthenticatedGroup, StringComparer.Ordinal))
        {
            groups.Add(ClusterIdentities.AuthenticatedGroup);
        }

        return new CallerIdentity(user, groups, caller.Method);

        void Require(in AccessRequest request)
        {
            var decision = authorizer.Authorize(request);
            if (!decision.Allowed)
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, ForbiddenMessages.Denied(request, decision.Reason)));
            }
        }
    }
}

/// <summary>The groups Kubernetes puts every service account in.</summary>
internal static class ServiceAccountGroups
{
    public const string All = "system:serviceaccounts";

    public static string Namespace(string @namespace) => $"{All}:{@namespace}";
}
