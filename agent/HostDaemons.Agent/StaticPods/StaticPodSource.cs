using System.Threading.Channels;
using HostDaemons.Agent.Events;
using HostDaemons.Hosting;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.StaticPods;

/// <summary>
/// The static pod source: reads <c>--manifest-dir</c> into the <see cref="StaticPodSet"/> once before anything else
/// runs (so the reconciler's first pass already has them and never stops a static pod at agent start), then again
/// after every burst of file notifications (create, write, rename, delete; 50 ms without another one, so an editor's
/// save is one read) and every <c>--manifest-check-period</c>, so a missed notification cannot leave it wrong. Each
/// read is of the whole directory: files are few and small, and an unchanged file is not parsed again.
/// </summary>
internal sealed partial class StaticPodSource : SupervisedBackgroundService
{
    /// <summary>How long the directory must be quiet after a notification before it is read.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(50);

    /// <summary>A directory that never stops changing is still read this often.</summary>
    public static readonly TimeSpan MaxDebounce = TimeSpan.FromMilliseconds(500);

    private const string WarmUpManifest = """
        apiVersion: v1
        kind: Pod
        metadata: {name: warm-up, labels: {app: warm-up}}
        spec:
          containers:
          - name: main
            image: busybox
            command: ["/bin/sh", "-c", "true"]
            env: [{name: A, value: b}]
            volumeMounts: [{name: logs, mountPath: /logs}]
          volumes: [{name: logs, hostPath: {path: /var/log}}]
        """;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly StaticPodSet _set;
    private readonly StaticPodDirectory _directory;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<StaticPodSource> _logger;
    private readonly PodEventRecorder? _events;
    private HashSet<ManifestError> _reported = [];
    private FileSystemWatcher? _watcher;
    private Task _warmUp = Task.CompletedTask;
    private bool? _directoryExisted;
    private volatile bool _watchBroken;
    private long _notifications;

    public StaticPodSource(StaticPodSet set, IOptions<AgentOptions> options, TimeProvider time, IHostApplicationLifetime lifetime,
        ILogger<StaticPodSource> logger, PodEventRecorder? events = null)
        : base(lifetime, logger)
    {
        _set = set;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _events = events;
        _directory = new StaticPodDirectory(Path.TrimEndingDirectorySeparator(Path.GetFullPath(_options.ManifestDir)), _options.EffectiveNodeName, time);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The first read happens here, before the host starts the services registered after this one.
        ReadDirectory();

        // Compiling the manifest path (YAML, decoding, defaults, validation, hashing) takes a few hundred milliseconds
        // the first time: do it now, off the start path, rather than when the first file is dropped in.
        _warmUp = Task.Run(() => StaticPodManifest.Parse("warm-up.yaml", WarmUpManifest, _options.EffectiveNodeName, _time.GetUtcNow()), CancellationToken.None);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _warmUp.ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _watcher?.Dispose();
        _watcher = null;
        base.Dispose();
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await WaitForNotificationAsync(_options.ManifestCheckPeriod, stoppingToken).ConfigureAwait(false))
            {
                await SettleAsync(stoppingToken).ConfigureAwait(false);
            }

            ReadDirectory();
        }
    }

    /// <summary>Reads the directory now and publishes the result; what the loop does, and tests call directly.</summary>
    internal void ReadDirectory()
    {
        StaticPodListing listing;
        try
        {
            listing = _directory.Read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The directory itself cannot be listed: keep what runs, try again at the next notification or period.
            Log.DirectoryUnreadable(_logger, _directory.Path, ex.Message);
            return;
        }

        WatchIfPresent(listing.DirectoryExists);
        Report(listing);
        _set.Replace(listing.Pods, listing.Errors);
    }

    private void WatchIfPresent(bool exists)
    {
        if (exists != _directoryExisted)
        {
            if (exists)
            {
                Log.Watching(_logger, _directory.Path);
            }
            else
            {
                Log.DirectoryMissing(_logger, _directory.Path);
            }

            _directoryExisted = exists;
        }

        if (!exists)
        {
            _watcher?.Dispose();
            _watcher = null;
            return;
        }

        if (_watchBroken)
        {
            _watchBroken = false;
            _watcher?.Dispose();
            _watcher = null;
        }

        if (_watcher is not null)
        {
            return;
        }

        try
        {
            var watcher = new FileSystemWatcher(_directory.Path)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes | NotifyFilters.CreationTime,
            };
            watcher.Created += OnChanged;
            watcher.Changed += OnChanged;
            watcher.Deleted += OnChanged;
            watcher.Renamed += OnChanged;
            watcher.Error += OnError;
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // Without notifications the periodic read still finds every change, only later.
            Log.WatchFailed(_logger, _directory.Path, ex.Message);
        }
    }

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        Interlocked.Increment(ref _notifications);
        _wake.Writer.TryWrite(true);
    }

    private void OnError(object sender, ErrorEventArgs e)
    {
        // An overflow or a directory that went away: read everything, and watch again from scratch.
        Log.WatchFailed(_logger, _directory.Path, e.GetException().Message);
        _watchBroken = true;
        _wake.Writer.TryWrite(true);
    }

    /// <returns>True when woken by a notification, false when the period passed.</returns>
    private async Task<bool> WaitForNotificationAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var notified = _wake.Reader.WaitToReadAsync(cts.Token).AsTask();
        var elapsed = Task.Delay(period, _time, cts.Token);
        var first = await Task.WhenAny(notified, elapsed).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        _wake.Reader.TryRead(out _);
        return first == notified;
    }

    /// <summary>Waits until no notification came for <see cref="Debounce"/> (at most <see cref="MaxDebounce"/>).</summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            var seen = Interlocked.Read(ref _notifications);
            await Task.Delay(Debounce, _time, cancellationToken).ConfigureAwait(false);
            _wake.Reader.TryRead(out _);
            if (Interlocked.Read(ref _notifications) == seen || _time.GetElapsedTime(started) >= MaxDebounce)
            {
                return;
            }
        }
    }

    /// <summary>Logs each problem once, when it first appears, and records it on its pod when it has one.</summary>
    private void Report(StaticPodListing listing)
    {
        var current = new HashSet<ManifestError>();
        foreach (var problem in listing.Problems)
        {
            current.Add(problem.Error);
            if (_reported.Contains(problem.Error))
            {
                continue;
            }

            Log.InvalidManifest(_logger, problem.Error.File, problem.Error.Line, problem.Error.Message);
            if (problem.Pod is { } pod)
            {
                _events?.Warning(pod, "FailedValidation", $"{problem.Error}");
            }
        }

        foreach (var fixedError in _reported.Where(e => !current.Contains(e)).Select(e => e.File).Distinct(StringComparer.Ordinal)
            .Where(file => !current.Any(e => e.File == file)))
        {
            Log.ManifestFixed(_logger, fixedError);
        }

        _reported = current;
    }

    private static partial class Log
    {

        [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Reading static pod manifests from {Directory}")]
        public static partial void Watching(ILogger logger, string directory);

        [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "The static pod manifest directory {Directory} does not exist: no static pods until it does")]
        public static partial void DirectoryMissing(ILogger logger, string directory);

        [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "Invalid static pod manifest {File}:{Line}: {Problem}")]
        public static partial void InvalidManifest(ILogger logger, string file, int line, string problem);

        [LoggerMessage(EventId = 123, Level = LogLevel.Information, Message = "Static pod manifest {File} is valid again, or gone")]
        public static partial void ManifestFixed(ILogger logger, string file);

        [LoggerMessage(EventId = 124, Level = LogLevel.Warning, Message = "Cannot watch {Directory} for changes ({Reason}); reading it every period only")]
        public static partial void WatchFailed(ILogger logger, string directory, string reason);

        [LoggerMessage(EventId = 125, Level = LogLevel.Warning, Message = "Cannot read the static pod manifest directory {Directory}: {Reason}; keeping the static pods as they are")]
        public static partial void DirectoryUnreadable(ILogger logger, string directory, string reason);
    }
}
