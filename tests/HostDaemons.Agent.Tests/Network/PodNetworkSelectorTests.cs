using HostDaemons.Agent.Hosting;
using HostDaemons.Agent.Network;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Tests.Network;

/// <summary>
/// <c>--pod-network</c>: Docker's bridge by default, none with a warning saying how to choose when the engine has no
/// bridge, none when asked, and any network that exists (a clear start error when it does not).
/// </summary>
public sealed class PodNetworkSelectorTests
{
    private readonly FakeContainerRuntime _runtime = new();
    private readonly FakeLogger<PodNetworkSelector> _logger = new();
    private readonly PodNetwork _network = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_NotSetAndTheEngineHasBridge_Bridge()
    {
        _runtime.AddNetwork("bridge");

        await Selector("").StartAsync(Ct);

        Assert.Equal("bridge", _network.Name);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task StartAsync_NotSetAndNoBridge_NoneWithAWarningThatSaysHowToChoose()
    {
        await Selector("").StartAsync(Ct);

        Assert.Equal(PodNetwork.None, _network.Name);
        var warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("--pod-network NAME", warning.Message, StringComparison.Ordinal);
        Assert.Contains("--pod-network none", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_None_NoneWithoutAWarning()
    {
        _runtime.AddNetwork("bridge");

        await Selector("none").StartAsync(Ct);

        Assert.Equal(PodNetwork.None, _network.Name);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task StartAsync_ExistingNetwork_ThatNetwork()
    {
        _runtime.AddNetwork("hd-pods");

        await Selector("hd-pods").StartAsync(Ct);

        Assert.Equal("hd-pods", _network.Name);
    }

    [Fact]
    public async Task StartAsync_MissingNetwork_StartErrorNamingIt()
    {
        var error = await Assert.ThrowsAsync<SettingsException>(() => Selector("hd-missing").StartAsync(Ct));

        Assert.Equal("--pod-network: the container engine has no network \"hd-missing\" (create it with docker network create hd-missing, or choose bridge or none)", error.Message);
    }

    [Theory]
    [InlineData("host")]
    [InlineData("container:abc")]
    [InlineData("-bad")]
    public void Build_PodNetworkFlagThatNamesNoNetwork_Refused(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => AgentHost.Build(["--server", "http://127.0.0.1:7070", "--node-name", "edge-01", "--pod-network", value], new Dictionary<string, string?>()));

        Assert.Contains("pod-network", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PodNetworkFromTheEnvironment_Used()
    {
        using var host = AgentHost.Build(["--server", "http://127.0.0.1:7070", "--node-name", "edge-01"], new Dictionary<string, string?> { ["HOSTDAEMONS_POD_NETWORK"] = "hd-pods" });

        Assert.Equal("hd-pods", host.Services.GetRequiredService<IOptions<AgentOptions>>().Value.PodNetwork);
    }

    [Fact]
    public void Build_Agent_PodNetworkChosenAfterDockerAnswersAndBeforeTheReconciler()
    {
        using var host = AgentHost.Build(["--server", "http://127.0.0.1:7070", "--node-name", "edge-01"], new Dictionary<string, string?>());

        var services = host.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();

        Assert.True(services.IndexOf(nameof(DockerReadiness)) < services.IndexOf(nameof(PodNetworkSelector)));
        Assert.True(services.IndexOf(nameof(PodNetworkSelector)) < services.IndexOf("Reconciler"));
    }

    private PodNetworkSelector Selector(string flag) =>
        new(_runtime, _network, Options.Create(new AgentOptions { NodeName = TestPods.Node, PodNetwork = flag }), _logger);
}
