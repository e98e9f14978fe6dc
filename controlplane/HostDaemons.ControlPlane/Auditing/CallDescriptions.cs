using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Auditing;

/// <summary>
/// The verb and object an audit line names: the access the call was authorized for when it was (RBAC fills
/// <see cref="CallAudit.Access"/>), else what the request message says where that is cheap to read, else the method's
/// name as the verb and no object.
/// </summary>
internal static class CallDescriptions
{
    public static (string Verb, AuditObjectRef? Object) Describe(string method, CallAudit audit, object? request)
    {
        if (audit.Access is not { } access)
        {
            return FromRequest(method, request);
        }

        // A create is authorized without a name (Kubernetes' attributes), but its audit line names the object, as
        // the API server's does from the object it created.
        var described = FromAccess(access);
        if (described is { Name: null } && request is ApplyRequest { Object: { } applied } && applied.Unwrap()?.Metadata?.Name is { Length: > 0 } name)
        {
            described = described with { Name = name };
        }

        return (access.Verb, described);
    }

    private static AuditObjectRef? FromAccess(in AccessRequest access) => access.IsNonResource ? null : new AuditObjectRef
    {
        Resource = access.Resource,
        Namespace = Empty(access.Namespace),
        Name = Empty(access.Name),
        ApiGroup = Empty(access.ApiGroup),
        Subresource = Empty(access.Subresource),
    };

    private static (string, AuditObjectRef?) FromRequest(string method, object? request) => request switch
    {
        GetRequest get => ("get", Of(get.Ref)),
        ListRequest list => ("list", Of(list.Kind, list.AllNamespaces ? "" : list.Namespace, "")),
        WatchRequest watch => ("watch", Of(watch.Kind, watch.AllNamespaces ? "" : watch.Namespace, watch.Name)),
        DeleteRequest delete => ("delete", Of(delete.Ref)),
        LabelRequest label => ("patch", Of(label.Ref)),
        CordonRequest cordon => ("patch", Of(ResourceKind.Node, "", cordon.Node)),
        TaintRequest taint => ("patch", Of(ResourceKind.Node, "", taint.Node)),
        LogsRequest logs => ("get", Of(ResourceKind.Pod, logs.Namespace, logs.Pod)! with { Subresource = "log" }),
        ApplyRequest { Object: { } envelope } apply when envelope.Unwrap() is { } applied =>
            (apply.Mode == ApplyMode.Create ? "create" : "patch", Of(applied.ResourceKind, applied.Metadata?.Namespace ?? "", applied.Metadata?.Name ?? "")),
        ResetNodeIdentityRequest reset => ("reset-identity", Of(ResourceKind.Node, "", reset.NodeName)),
        JoinRequest join => ("join", Of(ResourceKind.Node, "", join.NodeName)),
        IssueUserCertificateRequest user => ("create", new AuditObjectRef { Resource = "certificatesigningrequests", ApiGroup = "certificates.k8s.io", Name = Empty(user.ClientName) }),
        _ => (MethodVerb(method), null),
    };

    private static AuditObjectRef? Of(ObjectReference? reference) => reference is null ? null : Of(reference.Kind, reference.Namespace, reference.Name);

    private static AuditObjectRef? Of(ResourceKind kind, string ns, string name)
    {
        if (kind == ResourceKind.Unspecified || ResourceKinds.All.FirstOrDefault(k => k.Kind == kind) is not { } info)
        {
            return null;
        }

        return new AuditObjectRef { Resource = info.Plural, Namespace = Empty(ns), Name = Empty(name), ApiGroup = Empty(info.Group) };
    }

    /// <summary><c>/hostdaemons.v1.JoinAdminService/CreateJoinToken</c> is <c>createJoinToken</c>.</summary>
    private static string MethodVerb(string method)
    {
        var name = method[(method.LastIndexOf('/') + 1)..];
        return name.Length == 0 ? method : char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;
}
