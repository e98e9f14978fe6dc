using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HostDaemons.ControlPlane.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>
/// A real control plane (Kestrel on a loopback port, SQLite in a data directory) started in this process: in the
/// plaintext development mode, or over TLS with the PKI it creates under the data directory.
/// </summary>
public sealed class TestControlPlane : IAsyncDisposable
{
    private readonly TimeSpan? _servingCertificateValidity;
    private TimeSpan? _nodeCertificateValidity;
    private IReadOnlyList<string> _flags = [];
    private WebApplication? _app;

    private TestControlPlane(string dataDir, int port, bool tls, TimeSpan? servingCertificateValidity)
    {
        DataDir = dataDir;
        Port = port;
        Tls = tls;
        _servingCertificateValidity = servingCertificateValidity;
    }

    public string DataDir { get; }

    /// <summary>Everything the control plane logged, across restarts: for audits that must have been written.</summary>
    public FakeLogCollector Logs { get; } = new();

    public int Port { get; }

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the control plane is not running");

    public bool Tls { get; }

    public string Url => $"{(Tls ? "https" : "http")}://127.0.0.1:{Port}";

    /// <summary>The administrator's kubeconfig the control plane writes on first start over TLS.</summary>
    public string AdminConf => Path.Combine(DataDir, "admin.conf");

    /// <summary>A development-mode control plane, with more flags when given (<c>--default-pod-security baseline</c>).</summary>
    public static async Task<TestControlPlane> StartAsync(string dataDir, params string[] flags)
    {
        var controlPlane = new TestControlPlane(dataDir, FreePort(), tls: false, servingCertificateValidity: null) { _flags = flags };
        await controlPlane.StartAsync();
        return controlPlane;
    }

    /// <summary>
    /// A control plane listening on https:// (<paramref name="servingCertificateValidity"/> shortens its serving
    /// certificate's life, to watch renewals), with more command-line <paramref name="flags"/> (<c>--token-auth-file</c>,
    /// <c>--audit-log-path</c>) when given.
    /// </summary>
    public static async Task<TestControlPlane> StartTlsAsync(string dataDir, TimeSpan? servingCertificateValidity = null, TimeSpan? nodeCertificateValidity = null,
        IReadOnlyList<string>? flags = null)
    {
        var controlPlane = new TestControlPlane(dataDir, FreePort(), tls: true, servingCertificateValidity)
        {
            _nodeCertificateValidity = nodeCertificateValidity,
            _flags = flags ?? [],
        };
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
            ["--listen", Url, "--data-dir", DataDir, "--heartbeat-interval", "1s", "--node-lease-duration", "10s", .. _flags],
            new Dictionary<string, string?>(),
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(new TestOutputLoggerProvider("[controlplane]"));
                builder.Logging.AddProvider(new FakeLoggerProvider(Logs));
                if (_nodeCertificateValidity is { } nodeValidity)
                {
                    builder.Configuration.AddInMemoryCollection([new("ControlPlane:NodeCertificateValidity", nodeValidity.ToString("c", CultureInfo.InvariantCulture))]);
                }

                if (_servingCertificateValidity is { } validity)
                {
                    builder.Configuration.AddInMemoryCollection([new("ControlPlane:ServingCertificateValidity", validity.ToString("c", CultureInfo.InvariantCulture))]);
                }
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
