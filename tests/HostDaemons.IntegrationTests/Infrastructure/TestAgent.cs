using HostDaemons.Agent.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>A real agent for one node, started in this process against the real Docker engine.</summary>
public sealed class TestAgent : IAsyncDisposable
{
    private readonly string[] _args;
    private IHost? _host;

    private TestAgent(string[] args, string nodeName)
    {
        _args = args;
        NodeName = nodeName;
    }

    public string NodeName { get; }

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("the agent is not running");

    /// <summary>Starts an agent with the given flags, and <paramref name="extraArgs"/> (<c>--pod-network NAME</c>) after them.</summary>
    public static async Task<TestAgent> StartAsync(string server, string nodeName, string stateDir, string manifestDir, string? labels = null, IReadOnlyList<string>? extraArgs = null)
    {
        string[] args = ["--server", server, "--node-name", nodeName, "--state-dir", stateDir, "--manifest-dir", manifestDir, .. extraArgs ?? []];
        if (labels is not null)
        {
            args = [.. args, "--node-labels", labels];
        }

        var agent = new TestAgent(args, nodeName);
        await agent.StartAsync();
        return agent;
    }

    public async Task StartAsync()
    {
        _host = AgentHost.Build(_args, new Dictionary<string, string?>(), builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(new TestOutputLoggerProvider($"[{NodeName}]"));
        });
        await _host.StartAsync(TestContext.Current.CancellationToken).DefaultTimeout();
    }

    public async Task StopAsync()
    {
        if (_host is null)
        {
            return;
        }

        await _host.StopAsync(CancellationToken.None).DefaultTimeout();
        _host.Dispose();
        _host = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
