using Grpc.Core;
using HostDaemons.ControlPlane.Auditing;

namespace HostDaemons.ControlPlane.Tests.Auditing;

public sealed class AuditStatusTests
{
    [Theory]
    [InlineData(StatusCode.OK, "", 200)]
    [InlineData(StatusCode.Unauthenticated, "", 401)]
    [InlineData(StatusCode.PermissionDenied, "", 403)]
    [InlineData(StatusCode.NotFound, "", 404)]
    [InlineData(StatusCode.AlreadyExists, "", 409)]
    [InlineData(StatusCode.InvalidArgument, "DaemonSet.apps \"x\" is invalid: spec.selector: Required value", 422)]
    [InlineData(StatusCode.InvalidArgument, "--ttl must be more than 0", 400)]
    [InlineData(StatusCode.Internal, "", 500)]
    public void HttpCode_GrpcStatus_AsKubernetesWouldAnswer(StatusCode code, string detail, int http)
    {
        Assert.Equal(http, AuditStatus.HttpCode(code, detail));
    }
}
