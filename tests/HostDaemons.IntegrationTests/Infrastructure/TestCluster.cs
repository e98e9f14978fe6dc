namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>One control plane and its agents, all real, with hdctl and a view of Docker; cleans up its containers.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("hd-cluster");
    private readonly Dictionary<string, TestAgent> _agents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);

    private TestCluster(TestControlPlane controlPlane)
    {
        ControlPlane = controlPlane;
        Hdctl = new Hdctl(controlPlane.Url);
    }

    public TestControlPlane ControlPlane { get; }

    public Hdctl Hdctl { get; }

    public DockerProbe Docker { get; } = new();

    public string Root => _directory.Path;

    public static async Task<TestCluster> StartAsync(params string[] nodeNames)
    {
        var directory = Directory.CreateTempSubdirectory("hd-cp-").FullName;
        var cluster = new TestCluster(await TestControlPlane.StartAsync(directory));
        await cluster.Docker.RemoveAllAsync(nodeNames);
        foreach (var node in nodeNames)
        {
            await cluster.AddNodeAsync(node);
        }

        return cluster;
    }

    /// <summary>Starts an agent for a node (with <paramref name="extraArgs"/>, more agent flags) and waits until the node is registered.</summary>
    public async Task<TestAgent> AddNodeAsync(string nodeName, string? labels = null, IReadOnlyList<string>? extraArgs = null)
    {
        _nodeNames.Add(nodeName);
        var agent = await TestAgent.StartAsync(ControlPlane.Url, nodeName, _directory.Combine("agents", nodeName), _directory.Combine("manifests", nodeName), labels,
            extraArgs);
        _agents[nodeName] = agent;
        await AsyncTestHelpers.WaitUntilAsync(async () => (await Hdctl.RunAsync("get", "node", nodeName)).ExitCode == 0, $"node {nodeName} to register");
        return agent;
    }

    public TestAgent Agent(string nodeName) => _agents[nodeName];

    /// <summary>Applies a DaemonSet selected by <c>app: NAME</c> whose pod spec is <paramref name="podSpec"/> (YAML lines, unindented).</summary>
    public async Task ApplyDaemonAsync(string name, string podSpec)
    {
        var result = await Hdctl.RunWithInputAsync(TestManifests.DaemonWithPodSpec(name, podSpec), "apply", "-f", "-");
        Assert.True(result.ExitCode == 0, $"apply failed: {result.Error}");
    }

    /// <summary>Cleans up a node's containers at the end, for agents the test runs itself.</summary>
    public void Track(string nodeName) => _nodeNames.Add(nodeName);

    /// <summary>Waits until exactly <paramref name="count"/> running containers of the owner run on the node.</summary>
    public Task WaitForRunningAsync(string nodeName, string owner, int count, TimeSpan? timeout = null) =>
        AsyncTestHelpers.WaitUntilAsync(
            async () => (await Docker.RunningAsync(nodeName)).Count(c => c.Labels.TryGetValue("io.hostdaemons.owner", out var o) && o == owner) == count,
            $"{count} running containers of {owner} on {nodeName}",
            timeout,
            async () => string.Join(", ", (await Docker.ContainersAsync(nodeName)).Select(c => $"{c.Names[0]} {c.State}")));

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents.Values)
        {
            await agent.DisposeAsync();
        }

        await ControlPlane.DisposeAsync();
        await Docker.RemoveAllAsync(_nodeNames);
        Docker.Dispose();
        foreach (var node in _nodeNames)
        {
            // The nodes' memory volumes (secrets, projected volumes, emptyDir medium Memory), left by agents stopped before their pods.
            var memory = Path.Combine("/dev/shm/hostdaemons", node);
            if (Directory.Exists(memory))
            {
                Directory.Delete(memory, recursive: true);
            }
        }

        _directory.Dispose();
        try
        {
            Directory.Delete(ControlPlane.DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
