using Grpc.Core;
using HostDaemons.ControlPlane.Authorization;

namespace HostDaemons.ControlPlane.Auditing;

/// <summary>
/// What one call did, for its audit line: filled in as the call goes (the identity, the access it asked for and the
/// decision, extra annotations such as Pod Security's), written once when it ends. Attached to the call's user state.
/// </summary>
internal sealed class CallAudit
{
    private static readonly object s_key = new();

    /// <summary>The access the call was authorized for (the last one when it asked more than once).</summary>
    public AccessRequest? Access { get; set; }

    public AccessDecision? Decision { get; set; }

    /// <summary>The identity the caller acts as when it impersonates one (<c>--as</c>): the line's <c>impersonatedUser</c>.</summary>
    public Security.CallerIdentity? ImpersonatedUser { get; set; }

    /// <summary>Who authenticated, when the call then acts as <see cref="ImpersonatedUser"/> (the call's identity is then the impersonated one).</summary>
    public Security.CallerIdentity? AuthenticatedUser { get; set; }

    /// <summary>Kubernetes' audit annotations (<c>authorization.k8s.io/decision</c>, <c>pod-security.kubernetes.io/audit-violations</c>).</summary>
    public Dictionary<string, string> Annotations { get; } = new(StringComparer.Ordinal);

    public void AttachTo(ServerCallContext context) => context.UserState[s_key] = this;

    /// <summary>The call's audit record, when auditing attached one.</summary>
    public static CallAudit? From(ServerCallContext context) =>
        context.UserState.TryGetValue(s_key, out var audit) ? audit as CallAudit : null;
}
