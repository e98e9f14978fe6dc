using Grpc.Core;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Security;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Authorization;

/// <summary>
/// Kubernetes' RBAC escalation check, run when a Role, ClusterRole or binding is written: the writer must already hold
/// every rule the role grants (in the role's namespace, or cluster-wide), or every rule of the role a binding refers
/// to, unless it may <c>escalate</c> that role or <c>bind</c> the referred role, or is in <c>system:masters</c>. Only
/// a writer with that power may give a ClusterRole an aggregationRule, whose rules come from other roles.
/// </summary>
internal sealed class RbacEscalation(IAccessAuthorizer authorizer, RbacAuthorizer rbac)
{
    private const string RbacGroup = "rbac.authorization.k8s.io";

    /// <summary>Throws PermissionDenied when writing <paramref name="value"/> would grant <paramref name="caller"/>'s missing permissions.</summary>
    public void Check(IKubeObject value, CallerIdentity caller)
    {
        if (value.ResourceKind is not (ResourceKind.Role or ResourceKind.ClusterRole or ResourceKind.RoleBinding or ResourceKind.ClusterRoleBinding)
            || caller.Groups.Contains(ClusterIdentities.MastersGroup, StringComparer.Ordinal))
        {
            return;
        }

        var key = AdminAccess.StoredKey(value);
        var info = ResourceKinds.Get(key.Kind);
        var qualified = info.QualifiedPlural;
        switch (value)
        {
            case Role role when !Allowed(caller, "escalate", info.Plural, key.Namespace, key.Name):
                Confirm(caller, key.Namespace, role.Rules, qualified, key.Name);
                break;
            case ClusterRole clusterRole when !Allowed(caller, "escalate", info.Plural, "", key.Name):
                if (clusterRole.AggregationRule is not null)
                {
                    throw new RpcException(new Status(StatusCode.PermissionDenied,
                        $"{qualified} \"{key.Name}\" is forbidden: must have cluster-admin privileges to use the aggregationRule"));
                }

                Confirm(caller, "", clusterRole.Rules, qualified, key.Name);
                break;
            case RoleBinding binding:
                CheckBinding(caller, binding.RoleRef, key.Namespace, qualified, key.Name);
                break;
            case ClusterRoleBinding binding:
                CheckBinding(caller, binding.RoleRef, "", qualified, key.Name);
                break;
        }
    }

    private void CheckBinding(CallerIdentity caller, RoleRef? roleRef, string @namespace, string qualified, string name)
    {
        if (roleRef is null)
        {
            return;
        }

        var roleResource = roleRef.Kind == "ClusterRole" ? "clusterroles" : "roles";
        if (Allowed(caller, "bind", roleResource, @namespace, roleRef.Name))
        {
            return;
        }

        var (rules, error) = rbac.Policy().RulesOf(roleRef, @namespace);
        if (error is not null)
        {
            throw ApiErrors.BadRequest(error);
        }

        Confirm(caller, @namespace, rules, qualified, name);
    }

    private bool Allowed(CallerIdentity caller, string verb, string resource, string @namespace, string name) =>
        authorizer.Authorize(new AccessRequest(caller, verb, RbacGroup, resource, Namespace: @namespace, Name: name)).Allowed;

    private void Confirm(CallerIdentity caller, string @namespace, IEnumerable<PolicyRule> granted, string qualified, string name)
    {
        var (held, errors) = rbac.Policy().RulesFor(caller, @namespace);
        if (!PolicyRules.Covers(held, granted, out var missing))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, ForbiddenMessages.Escalation(qualified, name, caller, missing, errors)));
        }
    }
}
