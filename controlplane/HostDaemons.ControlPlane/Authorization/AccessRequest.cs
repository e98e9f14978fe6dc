using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Authorization;

/// <summary>
/// What a caller asks to do, in Kubernetes' authorization attributes: a verb on a resource (with its API group,
/// subresource, namespace and name) or on a non-resource path. The namespace is the stored object's, never only the
/// request's: callers build it from the key the store is read or written with. Transport-independent, so the gRPC
/// admin API and the Kubernetes REST API ask the same question.
/// </summary>
internal readonly record struct AccessRequest(
    CallerIdentity Caller,
    string Verb,
    string ApiGroup,
    string Resource,
    string Subresource = "",
    string Namespace = "",
    string Name = "",
    string Path = "")
{
    /// <summary>Whether this asks about a non-resource URL (<c>/healthz</c>, <c>/metrics</c>) rather than a resource.</summary>
    public bool IsNonResource => Path.Length > 0;
}
