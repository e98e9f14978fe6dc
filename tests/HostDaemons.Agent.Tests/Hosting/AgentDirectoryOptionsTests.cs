using HostDaemons.Agent.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Tests.Hosting;

/// <summary>The agent's directories are absolute whatever the command line says: their files are bound into containers.</summary>
public sealed class AgentDirectoryOptionsTests
{
    [Fact]
    public void Build_RelativeStateAndManifestDirectories_ResolvedAgainstTheWorkingDirectory()
    {
        using var host = AgentHost.Build(["--server", "http://127.0.0.1:7070", "--node-name", "edge-01", "--state-dir", "state/edge-01", "--manifest-dir", "manifests"], new Dictionary<string, string?>());

        var options = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;

        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "state", "edge-01"), options.StateDir);
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "manifests"), options.ManifestDir);
    }
}
