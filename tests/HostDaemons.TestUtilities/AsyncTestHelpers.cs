using System.Runtime.CompilerServices;

namespace HostDaemons.TestUtilities;

/// <summary>Bounded waits: every await in a test ends, and says where it hung.</summary>
public static class AsyncTestHelpers
{
    public static TimeSpan DefaultTimeoutDuration { get; } =
        TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ? 60 : 30);

    public static async Task DefaultTimeout(this Task task, TimeSpan? timeout = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            await task.WaitAsync(timeout ?? DefaultTimeoutDuration);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out after {(timeout ?? DefaultTimeoutDuration).TotalSeconds}s at {Path.GetFileName(file)}:{line}", ex);
        }
    }

    public static async Task<T> DefaultTimeout<T>(this Task<T> task, TimeSpan? timeout = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            return await task.WaitAsync(timeout ?? DefaultTimeoutDuration);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out after {(timeout ?? DefaultTimeoutDuration).TotalSeconds}s at {Path.GetFileName(file)}:{line}", ex);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, or fails with <paramref name="because"/> and the last observed state.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null,
        Func<Task<string>>? describe = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var limit = timeout ?? DefaultTimeoutDuration;
        using var cts = new CancellationTokenSource(limit);
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (cts.IsCancellationRequested)
            {
                var state = describe is null ? "" : $" Last state: {await describe()}";
                throw new TimeoutException($"Waited {limit.TotalSeconds}s for {because} at {Path.GetFileName(file)}:{line}.{state}");
            }

            try
            {
                await Task.Delay(delay, cts.Token);
            }
            catch (OperationCanceledException)
            {
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, string because, TimeSpan? timeout = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        => WaitUntilAsync(() => Task.FromResult(condition()), because, timeout, null, file, line);
}
