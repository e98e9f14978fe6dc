using Microsoft.Extensions.Logging;

namespace HostDaemons.Hosting;

/// <summary>
/// Work started in the background and still owned: each task is tracked until it ends, a failure is logged instead of
/// vanishing with an unobserved task, and <see cref="DisposeAsync"/> cancels what is left and waits for it, so
/// nothing runs on after its owner (or the host) stopped.
/// </summary>
public sealed partial class BackgroundTasks(ILogger logger) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _running = [];
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>The tasks still running.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="work"/> on the thread pool with a token cancelled by <paramref name="cancellationToken"/>
    /// or by disposal. <paramref name="what"/> names it in the log line of a failure.
    /// </summary>
    public void Run(string what, Func<CancellationToken, Task> work, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, cancellationToken);
            var task = Task.Run(() => RunAsync(what, work, linked), CancellationToken.None);
            _running.Add(task);
            _ = task.ContinueWith(Finished, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Waits for the tasks running now (and any they start) to end.</summary>
    public async Task WaitAsync()
    {
        while (true)
        {
            Task[] running;
            lock (_lock)
            {
                running = [.. _running];
            }

            if (running.Length == 0)
            {
                return;
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await WaitAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(string what, Func<CancellationToken, Task> work, CancellationTokenSource linked)
    {
        using (linked)
        {
            try
            {
                await work(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                Log.Failed(logger, what, ex);
            }
        }
    }

    private void Finished(Task task)
    {
        lock (_lock)
        {
            _running.Remove(task);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 910, Level = LogLevel.Error, Message = "Background work failed: {What}")]
        public static partial void Failed(ILogger logger, string what, Exception exception);
    }
}
