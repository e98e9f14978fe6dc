namespace HostDaemons.Model.Security;

/// <summary>
/// The user and group names Kubernetes gives the cluster's identities. A client certificate's CN is the user and its O
/// values the groups; a node is the user <c>system:node:NAME</c> in the group <c>system:nodes</c>, as the Node
/// authorizer expects.
/// </summary>
public static class ClusterIdentities
{
    public const string NodeUserPrefix = "system:node:";

    public const string NodesGroup = "system:nodes";

    /// <summary>The group that will be all-powerful once requests are authorized by RBAC.</summary>
    public const string MastersGroup = "system:masters";

    /// <summary>Every authenticated caller is in it, as in Kubernetes.</summary>
    public const string AuthenticatedGroup = "system:authenticated";

    /// <summary>The administrator's user in the kubeconfig the control plane writes.</summary>
    public const string AdminUser = "admin";

    /// <summary>The cluster CA's common name.</summary>
    public const string CaCommonName = "hostdaemons-ca";

    public static string NodeUser(string nodeName) => NodeUserPrefix + nodeName;

    /// <summary>Who a caller without credentials is, as Kubernetes names it.</summary>
    public const string AnonymousUser = "system:anonymous";

    public const string UnauthenticatedGroup = "system:unauthenticated";

    /// <summary>A join token's user is <c>system:bootstrap:TOKEN-ID</c> in <c>system:bootstrappers</c>, as a bootstrap token's.</summary>
    public const string BootstrapUserPrefix = "system:bootstrap:";

    public const string BootstrappersGroup = "system:bootstrappers";
}
