using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Rbac;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Authorization;

/// <summary>The API server's words for a refusal, so hdctl prints what kubectl prints.</summary>
internal static class ForbiddenMessages
{
    /// <summary>
    /// <c>daemonsets.apps "x" is forbidden: User "alice" cannot delete resource "daemonsets" in API group "apps" in the namespace "prod"</c>
    /// (no name for a list; <c>at the cluster scope</c> without a namespace; <c>forbidden: User "u" cannot get path "/version"</c>
    /// for a non-resource URL), with the authorizer's reason after a colon when it gave one.
    /// </summary>
    public static string Denied(in AccessRequest request, string reason)
    {
        var user = request.Caller.User;
        string detail;
        string prefix;
        if (request.IsNonResource)
        {
            detail = $"User \"{user}\" cannot {request.Verb} path \"{request.Path}\"";
            prefix = "forbidden";
        }
        else
        {
            var resource = request.Subresource.Length == 0 ? request.Resource : $"{request.Resource}/{request.Subresource}";
            var scope = request.Namespace.Length > 0 ? $"in the namespace \"{request.Namespace}\"" : "at the cluster scope";
            detail = $"User \"{user}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.ApiGroup}\" {scope}";
            var qualified = request.ApiGroup.Length == 0 ? request.Resource : $"{request.Resource}.{request.ApiGroup}";
            prefix = request.Name.Length == 0 ? $"{qualified} is forbidden" : $"{qualified} \"{request.Name}\" is forbidden";
        }

        return reason.Length == 0 ? $"{prefix}: {detail}" : $"{prefix}: {detail}: {reason}";
    }

    /// <summary>
    /// The escalation refusal: <c>clusterrolebindings.rbac.authorization.k8s.io "x" is forbidden: user "bob" (groups=["g"])
    /// is attempting to grant RBAC permissions not currently held:</c> and one compact rule per line.
    /// </summary>
    public static string Escalation(string qualifiedResource, string name, CallerIdentity caller, IEnumerable<PolicyRule> missing, IReadOnlyList<string> resolutionErrors)
    {
        var message = $"{qualifiedResource} \"{name}\" is forbidden: user \"{caller.User}\" (groups={PolicyRuleForms.GoQuotedSlice(caller.Groups)}) is attempting to grant RBAC permissions not currently held:\n"
            + string.Join("\n", PolicyRuleForms.Compact(missing).Select(PolicyRuleForms.CompactString));
        return resolutionErrors.Count == 0 ? message : $"{message}; resolution errors: [{string.Join(" ", resolutionErrors)}]";
    }
}
