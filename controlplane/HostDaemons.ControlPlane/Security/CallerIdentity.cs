using HostDaemons.Model.Security;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Security;

/// <summary>How a caller proved who it is.</summary>
internal enum AuthenticationMethod
{
    /// <summary>A client certificate issued by the cluster CA.</summary>
    ClientCertificate,

    /// <summary>An <c>Authorization: Bearer</c> token.</summary>
    BearerToken,

    /// <summary>A plaintext connection to a loopback development-mode listener: everyone is an administrator.</summary>
    DevelopmentMode,

    /// <summary>No credentials on a REST request: <c>system:anonymous</c>, which RBAC allows the public information only.</summary>
    Anonymous,
}

/// <summary>
/// Who is calling, as Kubernetes' user.Info has it: a user name and groups. A node is the user
/// <c>system:node:NAME</c> in the group <c>system:nodes</c>. Set once per call by <see cref="AuthenticationInterceptor"/>
/// and read from the call with <see cref="From"/>.
/// </summary>
internal sealed record CallerIdentity(string User, IReadOnlyList<string> Groups, AuthenticationMethod Method)
{
    private static readonly object s_key = new();

    /// <summary>The serial number (hex) of the client certificate the caller presented, when it used one.</summary>
    public string? CertificateSerial { get; init; }

    /// <summary>When the credential stops being valid, when it has an end.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    public static CallerIdentity DevelopmentAdministrator { get; } =
        new("system:admin", [ClusterIdentities.MastersGroup, ClusterIdentities.AuthenticatedGroup], AuthenticationMethod.DevelopmentMode);

    /// <summary>The user: fixed, as <see cref="NodeName"/> and <see cref="ClaimsNode"/> are derived from it once.</summary>
    public string User { get; } = User;

    /// <summary>The groups: fixed, as <see cref="NodeName"/> and <see cref="ClaimsNode"/> are derived from them once.</summary>
    public IReadOnlyList<string> Groups { get; } = Groups;

    /// <summary>
    /// The node's name when this is a node's identity: the <c>system:node:</c> user in <c>system:nodes</c>, with a
    /// valid name. Worked out once: every node call reads it several times (admission, call tracking, the node it acts for).
    /// </summary>
    public string? NodeName { get; } =
        User.StartsWith(ClusterIdentities.NodeUserPrefix, StringComparison.Ordinal)
        && Groups.Contains(ClusterIdentities.NodesGroup, StringComparer.Ordinal)
        && User[ClusterIdentities.NodeUserPrefix.Length..] is { Length: > 0 } name
        && NameValidation.IsDns1123Subdomain(name)
            ? name
            : null;

    /// <summary>Whether the identity claims to be a node in any way (the user's prefix or the group): such a caller never gets the admin API.</summary>
    public bool ClaimsNode { get; } =
        User.StartsWith(ClusterIdentities.NodeUserPrefix, StringComparison.Ordinal) || Groups.Contains(ClusterIdentities.NodesGroup, StringComparer.Ordinal);

    public override string ToString() => $"User \"{User}\" (groups [{string.Join(" ", Groups.Select(g => $"\"{g}\""))}])";

    public void AttachTo(Grpc.Core.ServerCallContext context) => context.UserState[s_key] = this;

    /// <summary>The identity <see cref="AuthenticationInterceptor"/> attached to this call, or null when none was.</summary>
    public static CallerIdentity? From(Grpc.Core.ServerCallContext context) =>
        context.UserState.TryGetValue(s_key, out var identity) ? identity as CallerIdentity : null;
}
