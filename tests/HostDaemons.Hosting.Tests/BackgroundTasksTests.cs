using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HostDaemons.Hosting.Tests;

public sealed class BackgroundTasksTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_WorkThatFails_IsLoggedWithWhatItWas()
    {
        var logs = new FakeLogCollector();
        await using var tasks = new BackgroundTasks(new FakeLogger(logs));

        tasks.Run("reading a log", _ => throw new InvalidOperationException("engine gone"), Token);
        await tasks.WaitAsync().DefaultTimeout();

        var record = Assert.Single(logs.GetSnapshot());
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Contains("reading a log", record.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(record.Exception);
        Assert.Equal(0, tasks.Count);
    }

    [Fact]
    public async Task DisposeAsync_CancelsWhatRunsAndWaitsForItToEnd()
    {
        var tasks = new BackgroundTasks(new FakeLogger());
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = false;
        tasks.Run("following a log", async ct =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }
            finally
            {
                await Task.Yield();
                ended = true;
            }
        }, Token);
        await started.Task.DefaultTimeout();
        Assert.Equal(1, tasks.Count);

        await tasks.DisposeAsync().AsTask().DefaultTimeout();

        Assert.True(ended);
        Assert.Equal(0, tasks.Count);
        Assert.Throws<ObjectDisposedException>(() => tasks.Run("late", _ => Task.CompletedTask, Token));
    }
}
