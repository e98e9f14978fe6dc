using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Tests.Auditing;

public sealed class CallDescriptionsTests
{
    private static readonly CallerIdentity s_viv = new("viv", ["viewers", "system:authenticated"], AuthenticationMethod.ClientCertificate);

    [Fact]
    public void Describe_AccessRecorded_TheAuthorizedAccessWins()
    {
        var audit = new CallAudit { Access = new AccessRequest(s_viv, "get", "", "pods", Subresource: "log", Namespace: "prod", Name: "web-1") };

        var (verb, objectRef) = CallDescriptions.Describe("/hostdaemons.v1.AdminService/Logs", audit, new LogsRequest { Namespace = "other", Pod = "x" });

        Assert.Equal(("get", "pods", "log", "prod", "web-1", (string?)null), (verb, objectRef!.Resource, objectRef.Subresource, objectRef.Namespace, objectRef.Name, objectRef.ApiGroup));
    }

    [Fact]
    public void Describe_NoAccess_FromTheRequestsNames()
    {
        var delete = CallDescriptions.Describe("/hostdaemons.v1.AdminService/Delete", new CallAudit(),
            new DeleteRequest { Ref = new ObjectReference { Kind = ResourceKind.DaemonSet, Namespace = "prod", Name = "web" } });
        var cordon = CallDescriptions.Describe("/hostdaemons.v1.AdminService/Cordon", new CallAudit(), new CordonRequest { Node = "web-01" });
        var list = CallDescriptions.Describe("/hostdaemons.v1.AdminService/List", new CallAudit(), new ListRequest { Kind = ResourceKind.Secret, AllNamespaces = true, Namespace = "ignored" });

        Assert.Equal(("delete", new AuditObjectRef { Resource = "daemonsets", Namespace = "prod", Name = "web", ApiGroup = "apps" }), delete);
        Assert.Equal(("patch", new AuditObjectRef { Resource = "nodes", Name = "web-01" }), cordon);
        Assert.Equal(("list", new AuditObjectRef { Resource = "secrets" }), list);
    }

    [Fact]
    public void Describe_OtherCalls_MethodNameAsVerbAndNoObject_SoATokenInTheRequestIsNeverRead()
    {
        var deleteToken = CallDescriptions.Describe("/hostdaemons.v1.JoinAdminService/DeleteJoinToken", new CallAudit(), new DeleteJoinTokenRequest { Id = "HD1-whole-token.secret" });

        Assert.Equal(("deleteJoinToken", (AuditObjectRef?)null), deleteToken);
    }
}
