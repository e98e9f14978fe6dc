using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Commands;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Commands;

/// <summary>What delete prints for each object, and which ones <c>--wait</c> waits for.</summary>
public sealed class DeleteCommandWarningTests
{
    private sealed class FakeDeleteClient(DeleteResponse response) : AdminService.AdminServiceClient
    {
        public override AsyncUnaryCall<DeleteResponse> DeleteAsync(DeleteRequest request, CallOptions options) =>
            new(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    private static Pod Pod(bool mirror)
    {
        var pod = new Pod { Metadata = new ObjectMeta { Name = "web-n1", Namespace = "default", Uid = "hash-1" }, Spec = new PodSpec { NodeName = "n1" } };
        if (mirror)
        {
            pod.Metadata.Annotations[MirrorPodAnnotations.Mirror] = "hash-1";
        }

        return pod;
    }

    private static async Task<(IKubeObject? Waited, string Output, string Error)> DeleteAsync(DeleteResponse response)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var request = new DeleteRequest { Ref = new ObjectReference { Kind = ResourceKind.Pod, Namespace = "default", Name = "web-n1" } };
        var waited = await DeleteCommand.DeleteOneAsync(new FakeDeleteClient(response), request, ResourceKinds.Pod, output, error, TestContext.Current.CancellationToken).DefaultTimeout();
        return (waited, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task DeleteOneAsync_MirrorPodWithWarning_WarningOnStderrDeletedOnStdoutAndNoWait()
    {
        var response = new DeleteResponse { Object = Pod(mirror: true).Wrap(), Warnings = { "pod default/web-n1 is the mirror of a static pod on node n1: it is recreated" } };

        var (waited, output, error) = await DeleteAsync(response);

        Assert.Equal("Warning: pod default/web-n1 is the mirror of a static pod on node n1: it is recreated\n", error);
        Assert.Equal("pod \"web-n1\" deleted\n", output);
        Assert.Null(waited);
    }

    [Fact]
    public async Task DeleteOneAsync_OrdinaryPod_NoWarningAndWaitedFor()
    {
        var response = new DeleteResponse { Object = Pod(mirror: false).Wrap() };

        var (waited, output, error) = await DeleteAsync(response);

        Assert.Equal(("pod \"web-n1\" deleted\n", ""), (output, error));
        Assert.Equal("hash-1", Assert.IsType<Pod>(waited).Metadata.Uid);
    }
}
