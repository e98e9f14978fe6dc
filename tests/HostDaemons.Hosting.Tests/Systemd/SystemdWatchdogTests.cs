using HostDaemons.Hosting.Systemd;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Hosting.Tests.Systemd;

public sealed class SystemdWatchdogTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingNotifier _notifier = new();
    private readonly SettableHealth _health = new();

    [Fact]
    public async Task Run_Healthy_FeedsTheWatchdogAtHalfItsTimeout()
    {
        await using var watchdog = await StartAsync(TimeSpan.FromSeconds(4));

        await AdvanceAsync(TimeSpan.FromSeconds(2));
        await AdvanceAsync(TimeSpan.FromSeconds(2));

        await _notifier.WaitForAsync("WATCHDOG=1", 3);
    }

    [Fact]
    public async Task Run_Unhealthy_StopsFeedingUntilHealthyAgain()
    {
        await using var watchdog = await StartAsync(TimeSpan.FromSeconds(4));
        _health.IsHealthy = false;
        await AdvanceAsync(TimeSpan.FromSeconds(2));
        await AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(1, _notifier.Count("WATCHDOG=1"));

        _health.IsHealthy = true;
        await AdvanceAsync(TimeSpan.FromSeconds(2));
        await _notifier.WaitForAsync("WATCHDOG=1", 2);
    }

    [Fact]
    public async Task Run_SummaryChanges_SendsEachStatusOnce()
    {
        await using var watchdog = await StartAsync(timeout: null);

        await AdvanceAsync(TimeSpan.FromSeconds(5));
        _health.Summary = "3 pods running, control plane connected";
        await AdvanceAsync(TimeSpan.FromSeconds(5));
        await AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["STATUS=starting", "STATUS=3 pods running, control plane connected"], _notifier.States);
    }

    private async Task<Running> StartAsync(TimeSpan? timeout)
    {
        var lifetime = new StubLifetime();
        var watchdog = new SystemdWatchdog(_notifier, _health, timeout, _time, lifetime, NullLogger<SystemdWatchdog>.Instance);
        await watchdog.StartAsync(TestContext.Current.CancellationToken);
        await _health.WaitForChecksAsync(1);
        return new Running(watchdog);
    }

    private async Task AdvanceAsync(TimeSpan by)
    {
        var before = _health.Checks;
        _time.Advance(by);
        await _health.WaitForChecksAsync(before + 1);
    }

    private sealed class Running(SystemdWatchdog watchdog) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await watchdog.StopAsync(CancellationToken.None);
            watchdog.Dispose();
        }
    }

    /// <summary>Counts the watchdog's checks, so a test knows a pass is over before it looks at what was sent.</summary>
    private sealed class SettableHealth : IServiceHealth
    {
        private volatile bool _healthy = true;
        private int _checks;

        public int Checks => Volatile.Read(ref _checks);

        public bool IsHealthy
        {
            get
            {
                var healthy = _healthy;
                Interlocked.Increment(ref _checks);
                return healthy;
            }

            set => _healthy = value;
        }

        public string Summary { get; set; } = "starting";

        public Task WaitForChecksAsync(int checks) =>
            AsyncTestHelpers.WaitUntilAsync(() => Checks >= checks, $"{checks} watchdog checks");
    }

    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private readonly Lock _lock = new();
        private readonly List<string> _sent = [];

        public bool IsEnabled => true;

        public string[] States
        {
            get
            {
                lock (_lock)
                {
                    return [.. _sent.Where(s => s.StartsWith("STATUS=", StringComparison.Ordinal))];
                }
            }
        }

        public int Count(string state)
        {
            lock (_lock)
            {
                return _sent.Count(s => s == state);
            }
        }

        /// <summary>Sent after the check that decided it: waits for it rather than racing the loop.</summary>
        public Task WaitForAsync(string state, int count) =>
            AsyncTestHelpers.WaitUntilAsync(() => Count(state) == count, $"{count} × {state}");

        public void Notify(ServiceState state)
        {
            lock (_lock)
            {
                _sent.Add(state.ToString());
            }
        }
    }

    private sealed class StubLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
