namespace HostDaemons.ControlPlane.Authorization;

/// <summary>The answer to an <see cref="AccessRequest"/>; <see cref="Reason"/> says which rule allowed it, or why none did.</summary>
internal readonly record struct AccessDecision(bool Allowed, string Reason)
{
    public static AccessDecision Allow(string reason) => new(true, reason);

    public static AccessDecision Deny(string reason) => new(false, reason);
}

/// <summary>Decides whether a caller may do what it asks. Synchronous: it reads the store's in-memory cache only.</summary>
internal interface IAccessAuthorizer
{
    AccessDecision Authorize(in AccessRequest request);
}
