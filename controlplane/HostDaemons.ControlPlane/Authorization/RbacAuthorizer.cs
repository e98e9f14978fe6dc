using System.Globalization;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Security;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Authorization;

/// <summary>
/// Kubernetes' authorizer chain for people: members of <c>system:masters</c> may do everything (as the API server's
/// privileged-group authorizer), everyone else gets what the stored RBAC objects grant, and nothing else (default deny).
/// The resolved policy is rebuilt only when an RBAC object changed: after any write to the store, the RBAC objects'
/// count and highest resource version are compared (every write stamps the store's next revision, so a change always
/// moves one of them), which also makes a binding count for the very next call after its write returned.
/// </summary>
internal sealed class RbacAuthorizer(IObjectStore store) : IAccessAuthorizer
{
    private static readonly ResourceKind[] s_kinds = [ResourceKind.Role, ResourceKind.ClusterRole, ResourceKind.RoleBinding, ResourceKind.ClusterRoleBinding];

    private Snapshot? _snapshot;

    public AccessDecision Authorize(in AccessRequest request) =>
        request.Caller.Groups.Contains(ClusterIdentities.MastersGroup, StringComparer.Ordinal)
            ? AccessDecision.Allow($"allowed: member of group \"{ClusterIdentities.MastersGroup}\"")
            : Policy().Authorize(request);

    /// <summary>The RBAC objects as they are now, resolved.</summary>
    public RbacPolicy Policy()
    {
        var revision = store.Revision;
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && snapshot.Revision == revision)
        {
            return snapshot.Policy;
        }

        var lists = s_kinds.Select(k => store.List(k)).ToArray();
        var fingerprint = Fingerprint(lists);
        if (snapshot is null || snapshot.Fingerprint != fingerprint)
        {
            snapshot = new Snapshot(revision, fingerprint, new RbacPolicy(
                lists[0].Cast<Role>(), lists[1].Cast<ClusterRole>(), lists[2].Cast<RoleBinding>(), lists[3].Cast<ClusterRoleBinding>()));
        }
        else
        {
            snapshot = snapshot with { Revision = revision };
        }

        Volatile.Write(ref _snapshot, snapshot);
        return snapshot.Policy;
    }

    private static (int Count, long Newest) Fingerprint(IReadOnlyList<IKubeObject>[] lists)
    {
        var count = 0;
        var newest = 0L;
        foreach (var list in lists)
        {
            count += list.Count;
            foreach (var value in list)
            {
                if (long.TryParse(value.Metadata.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > newest)
                {
                    newest = version;
                }
            }
        }

        return (count, newest);
    }

    private sealed record Snapshot(long Revision, (int Count, long Newest) Fingerprint, RbacPolicy Policy);
}
