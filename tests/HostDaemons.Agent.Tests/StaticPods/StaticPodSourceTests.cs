using HostDaemons.Agent.Events;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.StaticPods;
using HostDaemons.Agent.Tests.TestServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Tests.StaticPods;

/// <summary>The source over a real directory, real notifications and the real clock.</summary>
public sealed class StaticPodSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new("hd-manifests");
    private readonly TestHostApplicationLifetime _lifetime = new();
    private readonly FakeLogger<StaticPodSource> _logger = new();
    private readonly StaticPodSet _set = new(new ReconcileSignal(TimeProvider.System));
    private readonly PodEventRecorder _events = new(TimeProvider.System, NullLogger<PodEventRecorder>.Instance);

    public void Dispose()
    {
        _lifetime.Dispose();
        _dir.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_ManifestPresent_ListedBeforeItReturns()
    {
        Write("monitor.yaml", StaticPodDirectoryTests.Manifest("monitor"));
        using var source = Source();

        await source.StartAsync(Ct);
        try
        {
            Assert.True(_set.IsListed);
            Assert.Equal("monitor-edge-01", Assert.Single(_set.Current).Metadata.Name);
        }
        finally
        {
            await source.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task StartAsync_DirectoryMissing_ListedEmptyAndLoggedOnce()
    {
        using var source = Source(_dir.Combine("absent"));

        await source.StartAsync(Ct);
        source.ReadDirectory();
        source.ReadDirectory();
        await source.StopAsync(Ct);

        Assert.True(_set.IsListed);
        Assert.Empty(_set.Current);
        Assert.Single(_logger.Collector.GetSnapshot(), r => r.Message.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_FileDropped_PodAppearsWithoutWaitingForThePeriod()
    {
        using var source = Source();
        await source.StartAsync(Ct);
        try
        {
            var version = _set.Version;
            Write("monitor.yaml", StaticPodDirectoryTests.Manifest("monitor"));

            await _set.WaitForChangeAsync(version, Ct).DefaultTimeout(TimeSpan.FromSeconds(10));

            Assert.Equal("monitor-edge-01", Assert.Single(_set.Current).Metadata.Name);
        }
        finally
        {
            await source.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task RunAsync_DirectoryCreatedLater_WatchedFromThePeriodicRead()
    {
        var path = _dir.Combine("later");
        using var source = Source(path, checkPeriod: TimeSpan.FromMilliseconds(200));
        await source.StartAsync(Ct);
        try
        {
            Directory.CreateDirectory(path);
            await AsyncTestHelpers.WaitUntilAsync(() => _logger.Collector.GetSnapshot().Any(r => r.Message.StartsWith("Reading static pod manifests", StringComparison.Ordinal)),
                "the periodic read to find the directory");

            var version = _set.Version;
            File.WriteAllText(Path.Combine(path, "monitor.yaml"), StaticPodDirectoryTests.Manifest("monitor"));
            await AsyncTestHelpers.WaitUntilAsync(() => _set.Current.Count == 1, "the new file's pod");
            Assert.True(_set.Version > version);
        }
        finally
        {
            await source.StopAsync(Ct);
        }
    }

    [Fact]
    public void ReadDirectory_SameErrorOnEveryRead_LoggedOnce()
    {
        Write("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec: {containers: [{name: main, image: busybox, bogus: 1}]}\n");
        using var source = Source();

        source.ReadDirectory();
        source.ReadDirectory();
        source.ReadDirectory();

        var warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains($"{_dir.Combine("bad.yaml")}:4", warning.Message, StringComparison.Ordinal);
        Assert.Contains("bogus", warning.Message, StringComparison.Ordinal);
        Assert.Single(_set.Errors);
    }

    [Fact]
    public async Task ReadDirectory_RunningPodsFileBecomesInvalid_WarningEventOnThePod()
    {
        Write("monitor.yaml", StaticPodDirectoryTests.Manifest("monitor"));
        using var source = Source();
        source.ReadDirectory();
        var pod = Assert.Single(_set.Current);

        Write("monitor.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: monitor}\nspec: {containers: []}\n");
        source.ReadDirectory();

        Assert.Equal(pod, Assert.Single(_set.Current));
        using var cancelled = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var events = await _events.TakeAsync(cancelled.Token);
        Assert.Contains(events, e => e.Type == "Warning" && e.Reason == "FailedValidation" && e.Pod.Uid == pod.Metadata.Uid
            && e.Message.Contains("monitor.yaml:4", StringComparison.Ordinal));
    }

    private StaticPodSource Source(string? directory = null, TimeSpan? checkPeriod = null) => new(
        _set,
        Options.Create(new AgentOptions
        {
            NodeName = "edge-01",
            ManifestDir = directory ?? _dir.Path,
            ManifestCheckPeriod = checkPeriod ?? TimeSpan.FromSeconds(20),
        }),
        TimeProvider.System,
        _lifetime,
        _logger,
        _events);

    private void Write(string name, string text) => File.WriteAllText(_dir.Combine(name), text);
}
