using System.Text.Json;
using HostDaemons.Hosting;

namespace HostDaemons.ControlPlane.Auditing;

/// <summary>
/// The one writer of the audit log: drains <see cref="AuditLog"/>'s queue into the sink, flushing when the queue is
/// empty. When the sink fails (a full disk, a removed directory) requests go on: the failure is logged once and shown in
/// the control plane's health, events are dropped and counted, and the sink is tried again after <see cref="RetryAfter"/>.
/// </summary>
internal sealed partial class AuditLogWriter(
    AuditLog log,
    Func<IAuditSink> openSink,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<AuditLogWriter> logger) : SupervisedBackgroundService(lifetime, logger)
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    private static readonly byte[] s_newline = "\n"u8.ToArray();

    private IAuditSink? _sink;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!log.Enabled)
        {
            // No audit log: nothing to write, and the supervisor expects the loop to last as long as the host.
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
            return;
        }

        try
        {
            while (await log.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                Drain();
            }
        }
        finally
        {
            // What was queued before the host stopped is still written.
            Drain();
            CloseSink();
        }
    }

    private void CloseSink()
    {
        try
        {
            _sink?.Dispose();
        }
        catch (IOException)
        {
            // Disposing flushes, and a full disk fails that too: the failure is already being reported.
        }

        _sink = null;
    }

    /// <summary>Writes every queued event, then flushes. Internal for tests, which drive it without the host.</summary>
    internal void Drain()
    {
        var wrote = false;
        while (log.Reader.TryRead(out var auditEvent))
        {
            wrote |= Write(auditEvent);
        }

        if (wrote)
        {
            Guard(() => _sink?.Flush());
        }
    }

    private bool Write(AuditEvent auditEvent)
    {
        if (time.GetUtcNow() < _retryAt)
        {
            log.CountDropped();
            return false;
        }

        var line = JsonSerializer.SerializeToUtf8Bytes(auditEvent, AuditJsonContext.Default.AuditEvent);
        return Guard(() =>
        {
            _sink ??= openSink();
            _sink.Write([.. line, .. s_newline]);
        }) || Dropped();
    }

    private bool Dropped()
    {
        log.CountDropped();
        return false;
    }

    /// <summary>Runs a sink operation; an I/O failure marks the log as failing (logged once) instead of stopping the writer.</summary>
    private bool Guard(Action operation)
    {
        try
        {
            operation();
            if (log.SetFailure(null))
            {
                Log.Recovered(logger, log.Dropped);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            CloseSink();
            _retryAt = time.GetUtcNow() + RetryAfter;
            if (log.SetFailure(ex.Message))
            {
                Log.Failing(logger, ex.Message);
            }

            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 760, Level = LogLevel.Error, Message = "The audit log cannot be written: {Reason}. Requests continue; audit events are dropped until it can be written again")]
        public static partial void Failing(ILogger logger, string reason);

        [LoggerMessage(EventId = 761, Level = LogLevel.Information, Message = "The audit log is written again ({Dropped} events dropped so far)")]
        public static partial void Recovered(ILogger logger, long dropped);
    }
}
