using Grpc.Core;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class ApiErrorsTests
{
    [Fact]
    public void NotFound_EachKind_UsesKubernetesWording()
    {
        Assert.Equal("daemonsets.apps \"x\" not found", ApiErrors.NotFound(ResourceKind.DaemonSet, "x").Status.Detail);
        Assert.Equal("pods \"p\" not found", ApiErrors.NotFound(ResourceKind.Pod, "p").Status.Detail);
        Assert.Equal("nodes \"n\" not found", ApiErrors.NotFound(ResourceKind.Node, "n").Status.Detail);
        Assert.Equal(StatusCode.NotFound, ApiErrors.NotFound(ResourceKind.Node, "n").StatusCode);
    }

    [Fact]
    public void FromStore_StoreExceptions_MapToStatuses()
    {
        var dsKey = new ObjectKey(ResourceKind.DaemonSet, "default", "x");

        var notFound = ApiErrors.FromStore(new ObjectNotFoundException(dsKey))!;
        var exists = ApiErrors.FromStore(new ObjectAlreadyExistsException(dsKey))!;
        var conflict = ApiErrors.FromStore(new ObjectConflictException(dsKey, "3", "4"))!;
        var tooOld = ApiErrors.FromStore(new RevisionTooOldException(3, 10))!;
        var unavailable = ApiErrors.FromStore(new StoreUnavailableException("the store could not write to disk: boom", new IOException("boom")))!;

        Assert.Equal((StatusCode.NotFound, "daemonsets.apps \"x\" not found"), (notFound.StatusCode, notFound.Status.Detail));
        Assert.Equal((StatusCode.AlreadyExists, "daemonsets.apps \"x\" already exists"), (exists.StatusCode, exists.Status.Detail));
        Assert.Equal(StatusCode.Aborted, conflict.StatusCode);
        Assert.Equal("Operation cannot be fulfilled on daemonsets.apps \"x\": the object has been modified; please apply your changes to the latest version and try again",
            conflict.Status.Detail);
        Assert.Equal(StatusCode.OutOfRange, tooOld.StatusCode);
        Assert.Contains("too old resource version: 3", tooOld.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unavailable, unavailable.StatusCode);
    }

    [Fact]
    public void FromStore_OtherExceptions_AreLeftAlone()
    {
        Assert.Null(ApiErrors.FromStore(new InvalidOperationException("internal detail")));
        Assert.Null(ApiErrors.FromStore(new RpcException(new Status(StatusCode.InvalidArgument, "x"))));
    }
}
