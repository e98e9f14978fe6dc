using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The subject of a user's client certificate (<c>hdctl kubeconfig user</c>), built by the control plane from the
/// name and groups asked for: <c>CN=NAME, O=GROUP...</c>. A user certificate can never be a node's: the
/// <c>system:node:</c> names and the <c>system:nodes</c> group are refused. <c>system:masters</c> is allowed, as
/// Kubernetes lets an administrator issue it: only callers allowed to approve client certificates get here.
/// </summary>
internal static class UserSubjects
{
    /// <summary>X.509's upper bound for a common name and an organization name (ub-common-name, ub-organization-name).</summary>
    public const int MaxLength = 64;

    /// <summary>The subject; throws <see cref="PkiException"/> saying which name is refused and why.</summary>
    public static ClientSubject Build(string clientName, IReadOnlyList<string> organizations)
    {
        Check(clientName, "--client-name");
        if (clientName.StartsWith(ClusterIdentities.NodeUserPrefix, StringComparison.Ordinal))
        {
            throw new PkiException($"--client-name \"{clientName}\" is a node's name ({ClusterIdentities.NodeUserPrefix}NAME): nodes get their certificates by joining");
        }

        var groups = new List<string>();
        foreach (var organization in organizations)
        {
            Check(organization, "--org");
            if (organization == ClusterIdentities.NodesGroup)
            {
                throw new PkiException($"--org {ClusterIdentities.NodesGroup} is the nodes' group: nodes get their certificates by joining");
            }

            if (!groups.Contains(organization, StringComparer.Ordinal))
            {
                groups.Add(organization);
            }
        }

        return new ClientSubject(clientName, groups);
    }

    private static void Check(string value, string flag)
    {
        if (value.Length == 0 || value.Trim().Length != value.Length)
        {
            throw new PkiException($"{flag} \"{value}\" must not be empty nor start or end with spaces");
        }

        if (value.Length > MaxLength)
        {
            throw new PkiException($"{flag} \"{value}\" is {value.Length} characters long: at most {MaxLength}");
        }

        if (value.Any(char.IsControl))
        {
            throw new PkiException($"{flag} must not contain control characters");
        }
    }
}
