using HostDaemons.Agent.Hosting;
using HostDaemons.Agent.StaticPods;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Tests.Hosting;

/// <summary>The static pod settings as the agent's command line, environment and settings file give them.</summary>
public sealed class StaticPodOptionsTests
{
    [Fact]
    public void Build_ManifestCheckPeriodFlag_ParsedAsGoDuration()
    {
        using var host = AgentHost.Build(["--server", "http://127.0.0.1:7070", "--node-name", "edge-01", "--manifest-check-period", "1m30s"], new Dictionary<string, string?>());

        Assert.Equal(TimeSpan.FromSeconds(90), host.Services.GetRequiredService<IOptions<AgentOptions>>().Value.ManifestCheckPeriod);
    }

    [Fact]
    public void Build_ManifestCheckPeriodFromEnvironment_Used()
    {
        using var host = AgentHost.Build(["--server", "http://127.0.0.1:7070", "--node-name", "edge-01"],
            new Dictionary<string, string?> { ["HOSTDAEMONS_MANIFEST_CHECK_PERIOD"] = "5s" });

        Assert.Equal(TimeSpan.FromSeconds(5), host.Services.GetRequiredService<IOptions<AgentOptions>>().Value.ManifestCheckPeriod);
    }

    [Fact]
    public void Build_NoManifestCheckPeriod_TwentySeconds()
    {
        using var host = AgentHost.Build(["--server", "http://127.0.0.1:7070", "--node-name", "edge-01"], new Dictionary<string, string?>());

        Assert.Equal(TimeSpan.FromSeconds(20), host.Services.GetRequiredService<IOptions<AgentOptions>>().Value.ManifestCheckPeriod);
    }

    [Fact]
    public void Build_ManifestCheckPeriodZero_Refused()
    {
        Assert.ThrowsAny<Exception>(() => AgentHost.Build(["--server", "http://127.0.0.1:7070", "--node-name", "edge-01", "--manifest-check-period", "0s"], new Dictionary<string, string?>()));
    }

    [Fact]
    public void Build_Agent_StaticPodSourceStartsBeforeTheReconciler()
    {
        using var host = AgentHost.Build(["--server", "http://127.0.0.1:7070", "--node-name", "edge-01"], new Dictionary<string, string?>());

        var services = host.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();

        var source = services.IndexOf(nameof(StaticPodSource));
        Assert.InRange(source, 0, services.IndexOf("Reconciler") - 1);
    }

    [Fact]
    public void Usage_MentionsManifestCheckPeriod() => Assert.Contains("--manifest-check-period D", AgentHost.Usage, StringComparison.Ordinal);
}
