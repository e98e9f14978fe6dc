using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>
/// One watcher of every pod through the REST door (<c>GET /api/v1/pods?watch=1</c>, streamed on a connection of its
/// own), as a controller built on client-go watches: it decodes each event line and records, for the pods whose name
/// starts with the tracked prefix, when it had seen all of them ADDED and all of them Ready. It also counts the events,
/// their bytes, and any ERROR event (410 Expired) or end of stream.
/// </summary>
internal sealed class RestPodWatcher(HttpClient client) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private volatile Tracking? _tracking;
    private volatile string? _sentinel;
    private volatile bool _sawSentinel;
    private long _events;
    private long _bytes;
    private int _errors;

    public bool SawSentinel => _sawSentinel;

    public long Events => Interlocked.Read(ref _events);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>ERROR events received (410 Expired when the watcher fell behind).</summary>
    public int Errors => Volatile.Read(ref _errors);

    public string? LastError { get; private set; }

    /// <summary>Whether the stream ended or failed before the watcher was disposed.</summary>
    public bool Ended { get; private set; }

    public Tracking? Tracked => _tracking;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/pods?watch=1");
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailedException($"watch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        _loop = Task.Run(() => ReadAsync(response, stream, _stop.Token), CancellationToken.None);
    }

    /// <summary>From now on, notes any event for a pod named <paramref name="prefix"/>...: the watch is live.</summary>
    public void WatchFor(string prefix) => _sentinel = prefix;

    /// <summary>From now on (times from <paramref name="start"/>, a Stopwatch timestamp), tracks <paramref name="count"/> pods named <paramref name="prefix"/>....</summary>
    public void Track(string prefix, int count, long start) => _tracking = new Tracking(prefix, count, start);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        client.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync(HttpResponseMessage response, Stream stream, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end);
                    Handle(line);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    Ended = true;
                    return;
                }
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            Ended = true;
            LastError = ex.Message;
        }
        finally
        {
            await reader.CompleteAsync();
            response.Dispose();
        }
    }

    private void Handle(ReadOnlySequence<byte> line)
    {
        Interlocked.Increment(ref _events);
        Interlocked.Add(ref _bytes, line.Length + 1);
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString();
        var value = root.GetProperty("object");
        if (type == "ERROR")
        {
            Interlocked.Increment(ref _errors);
            LastError = value.GetRawText();
            return;
        }

        if (type is not ("ADDED" or "MODIFIED") || !value.TryGetProperty("metadata", out var metadata) || metadata.GetProperty("name").GetString() is not { } name)
        {
            return;
        }

        if (_sentinel is { } sentinel && name.StartsWith(sentinel, StringComparison.Ordinal))
        {
            _sawSentinel = true;
        }

        if (_tracking is { } tracking && name.StartsWith(tracking.Prefix, StringComparison.Ordinal))
        {
            tracking.Saw(name, type == "ADDED", IsReady(value));
        }
    }

    private static bool IsReady(JsonElement pod) =>
        pod.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions)
        && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");

    /// <summary>One watcher's view of the tracked pods: when it had them all ADDED, and all Ready (ms from the start).</summary>
    internal sealed class Tracking(string prefix, int count, long start)
    {
        private readonly HashSet<string> _added = new(StringComparer.Ordinal);
        private readonly HashSet<string> _ready = new(StringComparer.Ordinal);

        public string Prefix => prefix;

        public double FirstAdded { get; private set; } = double.NaN;

        public double AllAdded { get; private set; } = double.NaN;

        public double AllReady { get; private set; } = double.NaN;

        /// <summary>ADDED and MODIFIED events of tracked pods.</summary>
        public int Events { get; private set; }

        public bool Done => !double.IsNaN(AllAdded) && !double.IsNaN(AllReady);

        public void Saw(string name, bool added, bool ready)
        {
            Events++;
            var now = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (added && _added.Add(name))
            {
                if (_added.Count == 1)
                {
                    FirstAdded = now;
                }

                if (_added.Count == count)
                {
                    AllAdded = now;
                }
            }

            if (ready && _ready.Add(name) && _ready.Count == count)
            {
                AllReady = now;
            }
        }
    }
}
