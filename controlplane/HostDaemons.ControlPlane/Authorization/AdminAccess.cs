using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Joining;
using HostDaemons.ControlPlane.Security;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Authorization;

/// <summary>
/// The one table of what each admin RPC asks of the authorizer, in the verbs and resources a kubectl user expects:
/// <c>logs</c> is <c>get pods/log</c>, <c>cordon</c> and <c>taint</c> <c>patch nodes</c>, <c>rollout undo</c>
/// <c>update daemonsets</c> and <c>list controllerrevisions</c>, <c>apply</c> <c>get</c> and then <c>create</c> when the
/// object is absent or <c>patch</c> when present. The namespace is always the one the store is read or written with
/// (the defaulted key), never another field of the request, so no request shape reaches another namespace. A method
/// missing here is refused to everyone.
/// </summary>
internal sealed class AdminAccess(IObjectStore store)
{
    private const string AuthorizationGroup = "authorization.k8s.io";
    private const string AuthenticationGroup = "authentication.k8s.io";

    private static readonly Dictionary<string, Func<AdminAccess, object, CallerIdentity, IEnumerable<AccessRequest>>> s_methods = new(StringComparer.Ordinal)
    {
        [Admin("Apply")] = (a, r, c) => a.Apply(((ApplyRequest)r).Object, ((ApplyRequest)r).Mode, c),
        [Admin("Get")] = (_, r, c) => [Object(c, "get", ((GetRequest)r).Ref)],
        [Admin("List")] = (_, r, c) => [Collection(c, "list", ((ListRequest)r).Kind, ((ListRequest)r).Namespace, ((ListRequest)r).AllNamespaces)],
        [Admin("Delete")] = (_, r, c) => [Object(c, "delete", ((DeleteRequest)r).Ref)],
        [Admin("Watch")] = (_, r, c) => [Collection(c, "watch", ((WatchRequest)r).Kind, ((WatchRequest)r).Namespace, ((WatchRequest)r).AllNamespaces) with { Name = ((WatchRequest)r).Name }],
        [Admin("Label")] = (_, r, c) => [Object(c, "patch", ((LabelRequest)r).Ref)],
        [Admin("Logs")] = (_, r, c) => [Of(c, "get", ResourceKind.Pod, ((LogsRequest)r).Namespace, ((LogsRequest)r).Pod, "log")],
        [Admin("Version")] = (_, _, c) => [new AccessRequest(c, "get", "", "", Path: "/version")],
        [Admin("Taint")] = (_, r, c) => [Of(c, "patch", ResourceKind.Node, "", ((TaintRequest)r).Node)],
        [Admin("Cordon")] = (_, r, c) => [Of(c, "patch", ResourceKind.Node, "", ((CordonRequest)r).Node)],
        [Admin("ExplainPlacement")] = (a, r, c) => a.ExplainPlacement((ExplainPlacementRequest)r, c),
        [Admin("Rollback")] = (_, r, c) =>
        [
            Of(c, "update", ResourceKind.DaemonSet, ((RollbackRequest)r).Namespace, ((RollbackRequest)r).Name),
            Collection(c, "list", ResourceKind.ControllerRevision, ((RollbackRequest)r).Namespace, allNamespaces: false),
        ],
        [Admin("RestartRollout")] = (_, r, c) => [Of(c, "patch", ResourceKind.DaemonSet, ((RestartRolloutRequest)r).Namespace, ((RestartRolloutRequest)r).Name)],
        [Admin("SetImage")] = (_, r, c) => [Of(c, "patch", ResourceKind.DaemonSet, ((SetImageRequest)r).Namespace, ((SetImageRequest)r).Name)],
        [Admin("WatchRollout")] = (_, r, c) =>
        [
            Of(c, "get", ResourceKind.DaemonSet, ((WatchRolloutRequest)r).Namespace, ((WatchRolloutRequest)r).Name),
            Of(c, "watch", ResourceKind.DaemonSet, ((WatchRolloutRequest)r).Namespace, ((WatchRolloutRequest)r).Name),
        ],
        [Admin("AccessReview")] = (_, _, c) => [new AccessRequest(c, "create", AuthorizationGroup, "selfsubjectaccessreviews")],
        [Admin("RulesReview")] = (_, _, c) => [new AccessRequest(c, "create", AuthorizationGroup, "selfsubjectrulesreviews")],
        [Admin("WhoAmI")] = (_, _, c) => [new AccessRequest(c, "create", AuthenticationGroup, "selfsubjectreviews")],
        // Join tokens are bootstrap-token Secrets in kube-system, as kubeadm's are.
        [JoinAdmin("CreateJoinToken")] = (_, _, c) => [new AccessRequest(c, "create", "", "secrets", Namespace: JoinTokens.Namespace)],
        [JoinAdmin("ListJoinTokens")] = (_, _, c) => [new AccessRequest(c, "list", "", "secrets", Namespace: JoinTokens.Namespace)],
        [JoinAdmin("DeleteJoinToken")] = (_, r, c) =>
            [new AccessRequest(c, "delete", "", "secrets", Namespace: JoinTokens.Namespace, Name: JoinTokens.NamePrefix + ((DeleteJoinTokenRequest)r).Id)],
        // Resetting a node's identity revokes its certificates, as deleting the node does: the same permission.
        [JoinAdmin("ResetNodeIdentity")] = (_, r, c) => [Of(c, "delete", ResourceKind.Node, "", ((ResetNodeIdentityRequest)r).NodeName)],
    };

    /// <summary>The full names of the methods this table covers.</summary>
    public static IEnumerable<string> Methods => s_methods.Keys;

    /// <summary>Whether calls to <paramref name="method"/> are authorized here (the admin services' methods).</summary>
    public static bool Governs(string method) =>
        method.StartsWith($"/{HostDaemons.Api.V1.AdminService.Descriptor.FullName}/", StringComparison.Ordinal)
        || method.StartsWith($"/{HostDaemons.Api.V1.JoinAdminService.Descriptor.FullName}/", StringComparison.Ordinal);

    /// <summary>What the call needs, in the order kubectl would ask; refused when the method has no entry.</summary>
    public IReadOnlyList<AccessRequest> For(string method, object request, CallerIdentity caller) =>
        s_methods.TryGetValue(method, out var map)
            ? [.. map(this, request, caller)]
            : throw new RpcException(new Status(StatusCode.PermissionDenied, $"{method.TrimStart('/')} has no authorization mapping"));

    /// <summary>apply: <c>get</c>, then <c>patch</c> when the object exists or <c>create</c> (which names no object) when not; create: <c>create</c>.</summary>
    private IEnumerable<AccessRequest> Apply(ApiObject? wrapped, ApplyMode mode, CallerIdentity caller)
    {
        var value = wrapped?.Unwrap() ?? throw ApiErrors.BadRequest("the request carries no object");
        var key = StoredKey(value);
        var create = Of(caller, "create", key.Kind, key.Namespace, "");
        if (mode == ApplyMode.Create)
        {
            return [create];
        }

        var get = Of(caller, "get", key.Kind, key.Namespace, key.Name);
        return store.Get(key) is null ? [get, create] : [get, get with { Verb = "patch" }];
    }

    private IEnumerable<AccessRequest> ExplainPlacement(ExplainPlacementRequest request, CallerIdentity caller)
    {
        var nodes = Collection(caller, "list", ResourceKind.Node, "", allNamespaces: false);
        return request.TargetCase == ExplainPlacementRequest.TargetOneofCase.Object
            ? [.. Apply(request.Object, ApplyMode.Apply, caller), nodes]
            : [Object(caller, "get", request.Ref), nodes];
    }

    /// <summary>Where an applied object is written: its kind, its namespace defaulted as the applier does (none for a cluster-scoped kind), its name.</summary>
    public static ObjectKey StoredKey(IKubeObject value)
    {
        var info = ResourceKinds.Get(value.ResourceKind);
        return new ObjectKey(value.ResourceKind, info.Namespaced ? DefaultNamespace(value.Metadata.Namespace) : "", value.Metadata.Name);
    }

    private static AccessRequest Object(CallerIdentity caller, string verb, ObjectReference? reference) =>
        reference is null || reference.Kind == ResourceKind.Unspecified
            ? throw ApiErrors.BadRequest("a kind and a name are required")
            : Of(caller, verb, reference.Kind, reference.Namespace, reference.Name);

    private static AccessRequest Collection(CallerIdentity caller, string verb, ResourceKind kind, string @namespace, bool allNamespaces) =>
        kind == ResourceKind.Unspecified
            ? throw ApiErrors.BadRequest("a kind is required")
            : Of(caller, verb, kind, allNamespaces ? null : @namespace, "");

    /// <summary>A resource request keyed as the store keys it: a namespaced kind's empty namespace is <c>default</c>; a cluster-scoped kind has none; null means every namespace.</summary>
    private static AccessRequest Of(CallerIdentity caller, string verb, ResourceKind kind, string? @namespace, string name, string subresource = "")
    {
        var info = ResourceKinds.Get(kind);
        var ns = !info.Namespaced || @namespace is null ? "" : DefaultNamespace(@namespace);
        return new AccessRequest(caller, verb, info.Group, info.Plural, subresource, ns, name);
    }

    private static string DefaultNamespace(string @namespace) => @namespace.Length == 0 ? ObjectDefaults.DefaultNamespace : @namespace;

    private static string Admin(string method) => $"/{HostDaemons.Api.V1.AdminService.Descriptor.FullName}/{method}";

    private static string JoinAdmin(string method) => $"/{HostDaemons.Api.V1.JoinAdminService.Descriptor.FullName}/{method}";
}
