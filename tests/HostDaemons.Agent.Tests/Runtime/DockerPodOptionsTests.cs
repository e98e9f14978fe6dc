using Docker.DotNet;
using HostDaemons.Agent.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostDaemons.Agent.Tests.Runtime;

/// <summary>
/// The pod-level options on the real engine, as <c>docker inspect</c> shows them: IPC mode, security options (a
/// Localhost seccomp profile sent as its content), sysctls, extra hosts, published ports and addresses on a network of
/// the test's own (<c>--internal</c>), the image's user, network lookup, and the mount propagation error.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class DockerPodOptionsTests : IAsyncLifetime
{
    private const string Image = "busybox:latest";

    private static readonly Uri s_endpoint = new("unix:///var/run/docker.sock");

    private readonly string _nodeName = "rt-pod-" + Guid.NewGuid().ToString("N")[..12];
    private readonly DockerContainerRuntime _runtime = new(s_endpoint, NullLogger<DockerContainerRuntime>.Instance);
    private readonly DockerClient _docker = new DockerClientBuilder().WithEndpoint(s_endpoint).Build();
    private string? _network;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var container in await _runtime.ListContainersAsync(_nodeName, CancellationToken.None))
        {
            await _runtime.RemoveContainerAsync(container.Id, CancellationToken.None);
        }

        if (_network is not null)
        {
            await _docker.Networks.DeleteNetworkAsync(_network, CancellationToken.None);
        }

        _runtime.Dispose();
        _docker.Dispose();
    }

    [Fact]
    public async Task CreateContainerAsync_SecurityAndNamespaceOptions_InTheHostConfig()
    {
        using var profiles = new TempDirectory();
        var profile = profiles.Combine("audit.json");
        await File.WriteAllTextAsync(profile, """{"defaultAction": "SCMP_ACT_ALLOW"}""", Ct);
        var spec = Spec("sleep 300", "security") with
        {
            IpcMode = "host",
            SecurityOptions = ["no-new-privileges"],
            SeccompProfileFile = profile,
            Sysctls = new Dictionary<string, string> { ["net.ipv4.ping_group_range"] = "0 0" },
            ExtraHosts = ["registry.test:192.0.2.7"],
        };

        var id = await _runtime.CreateContainerAsync(spec, Ct);
        await _runtime.StartContainerAsync(id, Ct);

        var host = (await _docker.Containers.InspectContainerAsync(id, Ct)).HostConfig!;
        Assert.Equal("host", host.IpcMode);
        Assert.Contains("no-new-privileges", host.SecurityOpt!);
        Assert.Contains(host.SecurityOpt, o => o.StartsWith("seccomp=", StringComparison.Ordinal) && o.Contains("SCMP_ACT_ALLOW", StringComparison.Ordinal));
        Assert.Equal("0 0", host.Sysctls!["net.ipv4.ping_group_range"]);
        Assert.Equal(["registry.test:192.0.2.7"], host.ExtraHosts);
        Assert.Equal(ContainerRunState.Running, (await _runtime.InspectContainerAsync(id, Ct))!.State);
    }

    [Fact]
    public async Task CreateContainerAsync_MissingSeccompProfile_CreateContainerConfigError()
    {
        var spec = Spec("sleep 300", "no-profile") with { SeccompProfileFile = "/nonexistent/hostdaemons/profile.json" };

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.CreateContainerAsync(spec, Ct));

        Assert.Equal("CreateContainerConfigError", error.Reason);
        Assert.StartsWith("cannot load seccomp profile \"/nonexistent/hostdaemons/profile.json\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateContainerAsync_OnANetworkWithPublishedPorts_AddressListedAndPortsBound()
    {
        _network = "hd-rt-" + Guid.NewGuid().ToString("N")[..8];
        await _docker.Networks.CreateNetworkAsync(new Docker.DotNet.Models.NetworksCreateParameters { Name = _network, Internal = true }, Ct);
        var spec = Spec("sleep 300", "published") with
        {
            NetworkMode = _network,
            PublishedPorts = [new PublishedPort(8080, "tcp", 28080, "127.0.0.1"), new PublishedPort(53, "udp", 28053)],
        };

        var id = await _runtime.CreateContainerAsync(spec, Ct);
        await _runtime.StartContainerAsync(id, Ct);

        Assert.True(await _runtime.NetworkExistsAsync(_network, Ct));
        Assert.False(await _runtime.NetworkExistsAsync("hd-missing-" + Guid.NewGuid().ToString("N"), Ct));
        var inspected = await _docker.Containers.InspectContainerAsync(id, Ct);
        var address = inspected.NetworkSettings!.Networks[_network].IPAddress;
        Assert.Equal([address], (await _runtime.InspectContainerAsync(id, Ct))!.IpAddresses);
        Assert.Equal([address], Assert.Single(await _runtime.ListContainersAsync(_nodeName, Ct)).IpAddresses);
        var tcp = Assert.Single(inspected.HostConfig!.PortBindings["8080/tcp"]);
        Assert.Equal(("127.0.0.1", "28080"), (tcp.HostIP, tcp.HostPort));
        Assert.Equal("28053", Assert.Single(inspected.HostConfig!.PortBindings["53/udp"]).HostPort);
        Assert.Contains("8080/tcp", inspected.Config!.ExposedPorts!.Keys);
    }

    [Fact]
    public async Task StartContainerAsync_PropagatedBindOfRoot_StartsOnASharedRootElseSaysHowToShareIt()
    {
        var spec = Spec("sleep 300", "propagation") with { Binds = [new BindMount("/", "/host", ReadOnly: true, Propagation: "rslave")] };
        var id = await _runtime.CreateContainerAsync(spec, Ct);

        var error = await Record.ExceptionAsync(() => _runtime.StartContainerAsync(id, Ct));

        var bind = Assert.Single((await _docker.Containers.InspectContainerAsync(id, Ct)).HostConfig!.Binds);
        Assert.Equal("/:/host:ro,rslave", bind);
        if (error is not null)
        {
            var refused = Assert.IsType<ContainerRuntimeException>(error);
            Assert.Equal("CreateContainerConfigError", refused.Reason);
            Assert.Contains("is not a shared or slave mount", refused.Message, StringComparison.Ordinal);
            Assert.Contains("mount --make-rshared /", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetImageUserAsync_ImageWithoutUser_Empty()
    {
        Assert.Equal("", await _runtime.GetImageUserAsync(Image, Ct));
    }

    private ContainerLaunchSpec Spec(string script, string suffix) => new()
    {
        Name = _nodeName + "-" + suffix,
        Image = Image,
        Entrypoint = ["/bin/sh", "-c", script],
        NetworkMode = "none",
        Labels = new Dictionary<string, string> { [ContainerLabels.Node] = _nodeName },
    };
}
