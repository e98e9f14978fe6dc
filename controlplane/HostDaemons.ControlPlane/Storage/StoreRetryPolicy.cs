using System.Collections.Concurrent;
using HostDaemons.Hosting;

namespace HostDaemons.ControlPlane.Storage;

/// <summary>
/// The one policy for a control plane loop's transient store errors (<see cref="StoreUnavailableException"/>: the disk
/// refused a commit): the pass is retried after the shared <see cref="Backoff"/>, the failure is logged and reported on
/// the health line until a pass succeeds, and the process never stops for it; a controller's per-key retry is the same
/// policy applied to one key. Anything else a loop throws is a bug, and its supervisor stops the process.
/// </summary>
internal sealed partial class StoreRetryPolicy(TimeProvider time, ILogger<StoreRetryPolicy> logger)
{
    private static readonly TimeSpan s_initialDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (int Failures, string Error)> _failing = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="pass"/> until it completes without a transient store error.</summary>
    public async Task RunAsync(string loop, Func<CancellationToken, Task> pass, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                await pass(cancellationToken).ConfigureAwait(false);
                if (_failing.TryRemove(loop, out _))
                {
                    Log.Recovered(logger, loop, failures);
                }

                return;
            }
            catch (StoreUnavailableException ex)
            {
                failures++;
                _failing[loop] = (failures, ex.Message);
                var delay = Backoff.Jittered(failures, s_initialDelay, s_maxDelay);
                Log.Retrying(logger, loop, failures, delay, ex);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The loops whose store writes fail now, for the health line; null when none do.</summary>
    public string? Describe()
    {
        var failing = _failing.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} failing ({f.Value.Failures} in a row: {f.Value.Error})").ToList();
        return failing.Count == 0 ? null : "store writes " + string.Join("; ", failing);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 960, Level = LogLevel.Warning, Message = "{Loop}: the store refused a write ({Failures} in a row); retrying in {Delay}")]
        public static partial void Retrying(ILogger logger, string loop, int failures, TimeSpan delay, Exception exception);

        [LoggerMessage(EventId = 961, Level = LogLevel.Information, Message = "{Loop}: the store accepts writes again after {Failures} failures")]
        public static partial void Recovered(ILogger logger, string loop, int failures);
    }
}
