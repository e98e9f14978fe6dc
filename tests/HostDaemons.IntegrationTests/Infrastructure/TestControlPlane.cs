using System.Net;
using System.Net.Sockets;
using HostDaemons.ControlPlane.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>A real control plane (Kestrel on a loopback port, SQLite in a data directory) started in this process.</summary>
public sealed class TestControlPlane : IAsyncDisposable
{
    private WebApplication? _app;

    private TestControlPlane(string dataDir, int port)
    {
        DataDir = dataDir;
        Port = port;
    }

    public string DataDir { get; }

    public int Port { get; }

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the control plane is not running");

    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<TestControlPlane> StartAsync(string dataDir)
    {
        var controlPlane = new TestControlPlane(dataDir, FreePort());
        await controlPlane.StartAsync();
        return controlPlane;
    }

    /// <summary>Starts the control plane again on the same port and data directory.</summary>
    public async Task StartAsync()
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("already running");
        }

        _app = ControlPlaneHost.Build(
            ["--listen", Url, "--data-dir", DataDir, "--heartbeat-interval", "1s", "--node-lease-duration", "10s"],
            new Dictionary<string, string?>(),
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(new TestOutputLoggerProvider("[controlplane]"));
            });
        await _app.StartAsync(TestContext.Current.CancellationToken).DefaultTimeout();
    }

    public async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }

        await _app.StopAsync(CancellationToken.None).DefaultTimeout();
        await _app.DisposeAsync();
        _app = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
