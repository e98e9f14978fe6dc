using Docker.DotNet;
using Docker.DotNet.Models;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>Looks at the real engine the way an operator would with <c>docker ps --filter label=...</c> and <c>docker inspect</c>.</summary>
public sealed class DockerProbe : IDisposable
{
    private readonly DockerClient _client = new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();

    public async Task<IList<ContainerListResponse>> ContainersAsync(string nodeName, bool all = true) =>
        await _client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = all,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.hostdaemons.node={nodeName}"] = true } },
        }, TestContext.Current.CancellationToken);

    public async Task<IList<ContainerListResponse>> RunningAsync(string nodeName) =>
        [.. (await ContainersAsync(nodeName, all: false)).Where(c => c.State == "running")];

    public Task<ContainerInspectResponse> InspectAsync(string id) => _client.Containers.InspectContainerAsync(id, TestContext.Current.CancellationToken);

    /// <summary>Runs a command in a running container, as <c>docker exec</c> does, and returns what it wrote to stdout.</summary>
    public async Task<string> ExecAsync(string id, params string[] command)
    {
        var token = TestContext.Current.CancellationToken;
        var exec = await _client.Exec.CreateContainerExecAsync(id, new ContainerExecCreateParameters { Cmd = command, AttachStdout = true, AttachStderr = true }, token);
        using var stream = await _client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), token);
        var (stdout, _) = await stream.ReadOutputToEndAsync(token);
        return stdout;
    }

    /// <summary>SIGKILL to the container's process: what a crash looks like to the agent.</summary>
    public Task KillAsync(string id) =>
        _client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, TestContext.Current.CancellationToken);

    public Task RemoveAsync(string id) =>
        _client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, TestContext.Current.CancellationToken);

    /// <summary>Removes every container of the nodes: test clean-up, since stopping an agent leaves its daemons running.</summary>
    public async Task RemoveAllAsync(IEnumerable<string> nodeNames)
    {
        foreach (var node in nodeNames)
        {
            foreach (var container in await _client.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.hostdaemons.node={node}"] = true } },
            }))
            {
                try
                {
                    await _client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
                }
                catch (DockerContainerNotFoundException)
                {
                }
            }
        }
    }

    public void Dispose() => _client.Dispose();
}
