using HostDaemons.Agent.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostDaemons.Agent.Tests.Runtime;

/// <summary>An engine that is not there: the runtime's errors are its own, which callers catch and report.</summary>
public sealed class DockerUnreachableTests
{
    [Fact]
    public async Task ListContainersAsync_NoEngine_ThrowsContainerRuntimeException()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"hd-no-docker-{Guid.NewGuid():N}.sock");
        using var runtime = new DockerContainerRuntime(new Uri("unix://" + socket), NullLogger<DockerContainerRuntime>.Instance);

        var ex = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.ListContainersAsync("node-a", TestContext.Current.CancellationToken)).DefaultTimeout();

        Assert.Equal("ListContainersError", ex.Reason);
        Assert.StartsWith("listing containers failed: ", ex.Message, StringComparison.Ordinal);
    }
}
