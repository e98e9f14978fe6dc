using HostDaemons.Agent.Hosting;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.ServiceAccounts;
using Microsoft.Extensions.DependencyInjection;

namespace HostDaemons.Agent.Tests.Hosting;

/// <summary><c>--api-server-address</c>: what pods are given as the control plane's address, by default the agent's own.</summary>
public sealed class ApiServerAddressOptionsTests
{
    [Theory]
    [InlineData(null, "127.0.0.1", 7070)]
    [InlineData("https://10.0.0.5:7443", "10.0.0.5", 7443)]
    [InlineData("cp.internal:6443", "cp.internal", 6443)]
    public void Build_Address_GivenToPods(string? flag, string host, int port)
    {
        using var state = new TempDirectory("hd-apiaddr");
        string[] args = ["--server", "http://127.0.0.1:7070", "--node-name", "edge-01", "--state-dir", state.Path];
        using var built = AgentHost.Build(flag is null ? args : [.. args, "--api-server-address", flag], new Dictionary<string, string?>());

        Assert.Equal(new ApiServerEndpoint(host, port), built.Services.GetRequiredService<NodeContext>().ApiServer);
    }

    [Fact]
    public void Build_NotAnAddress_RefusedByName()
    {
        using var state = new TempDirectory("hd-apiaddr");

        var refused = Assert.ThrowsAny<Exception>(() => AgentHost.Build(
            ["--server", "http://127.0.0.1:7070", "--node-name", "edge-01", "--state-dir", state.Path, "--api-server-address", "https://10.0.0.5:7443/api"], new Dictionary<string, string?>()));

        Assert.Contains("api-server-address", refused.Message, StringComparison.Ordinal);
    }
}
