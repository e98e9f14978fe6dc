using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostDaemons.Hosting.Tests;

// Environment.ExitCode is process-wide: these tests run one at a time and put it back.
[Collection(nameof(SupervisedBackgroundServiceTests))]
[CollectionDefinition(nameof(SupervisedBackgroundServiceTests), DisableParallelization = true)]
public sealed class SupervisedBackgroundServiceTests : IDisposable
{
    private readonly int _exitCode = Environment.ExitCode;
    private readonly FakeLifetime _lifetime = new();

    public void Dispose() => Environment.ExitCode = _exitCode;

    [Fact]
    public async Task ExecuteAsync_LoopThrows_StopsHostWithExitCodeOne()
    {
        using var service = new Loop(_lifetime, _ => throw new InvalidOperationException("broken"));

        await service.StartAsync(TestContext.Current.CancellationToken);
        await service.ExecuteTask!.DefaultTimeout();

        Assert.True(_lifetime.StopRequested);
        Assert.Equal(1, Environment.ExitCode);
    }

    [Fact]
    public async Task ExecuteAsync_LoopReturnsWhileRunning_StopsHostWithExitCodeOne()
    {
        using var service = new Loop(_lifetime, _ => Task.CompletedTask);

        await service.StartAsync(TestContext.Current.CancellationToken);
        await service.ExecuteTask!.DefaultTimeout();

        Assert.True(_lifetime.StopRequested);
        Assert.Equal(1, Environment.ExitCode);
    }

    [Fact]
    public async Task ExecuteAsync_LoopThrowsWhileStopping_IsAQuietShutdown()
    {
        Environment.ExitCode = 0;
        using var service = new Loop(_lifetime, async token =>
        {
            await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
            throw new IOException("the stream closed as the host stopped");
        });

        await service.StartAsync(TestContext.Current.CancellationToken);
        await service.StopAsync(TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.False(_lifetime.StopRequested);
        Assert.Equal(0, Environment.ExitCode);
    }

    private sealed class Loop(IHostApplicationLifetime lifetime, Func<CancellationToken, Task> body)
        : SupervisedBackgroundService(lifetime, NullLogger.Instance)
    {
        protected override Task RunAsync(CancellationToken stoppingToken) => body(stoppingToken);
    }

    private sealed class FakeLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public bool StopRequested { get; private set; }

        public void StopApplication() => StopRequested = true;
    }
}
