using HostDaemons.Hosting;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// Bearer tokens from <c>--token-auth-file</c>. The file is read at start (an unusable file stops the control plane
/// with its file and line) and again whenever it changes, so a removed line stops working within seconds. A reload that
/// finds an error keeps the last good table and logs the error: a typo while editing must not lock everyone out, nor
/// let anyone in.
/// </summary>
internal sealed partial class TokenFileAuthenticator : ITokenAuthenticator
{
    private readonly ILogger<TokenFileAuthenticator> _logger;
    private volatile StaticTokenFile _table;
    private (DateTime Modified, long Length) _seen;

    public TokenFileAuthenticator(string path, ILogger<TokenFileAuthenticator> logger)
    {
        Path = path;
        _logger = logger;
        _seen = Stamp();
        _table = StaticTokenFile.Read(path);
        Log.Loaded(logger, path, _table.Count);
    }

    public string Path { get; }

    public ValueTask<CallerIdentity?> AuthenticateAsync(string token, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_table.Find(token));

    /// <summary>Reads the file again when its time or size changed (or always, when <paramref name="force"/>); returns whether the table was replaced.</summary>
    public bool Reload(bool force)
    {
        var stamp = Stamp();
        if (!force && stamp == _seen)
        {
            return false;
        }

        _seen = stamp;
        try
        {
            var table = StaticTokenFile.Read(Path);
            _table = table;
            Log.Loaded(_logger, Path, table.Count);
            return true;
        }
        catch (TokenFileException ex)
        {
            Log.KeptPrevious(_logger, ex.Message, _table.Count);
            return false;
        }
    }

    private (DateTime, long) Stamp()
    {
        var info = new FileInfo(Path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 750, Level = LogLevel.Information, Message = "Read the token file {Path}: {Count} tokens")]
        public static partial void Loaded(ILogger logger, string path, int count);

        [LoggerMessage(EventId = 751, Level = LogLevel.Error, Message = "The token file cannot be used: {Reason}; the previous {Count} tokens stay in force until it is fixed")]
        public static partial void KeptPrevious(ILogger logger, string reason, int count);
    }
}

/// <summary>The token file's authenticator, when <c>--token-auth-file</c> is set: one of the bearer token authenticators.</summary>
internal sealed record TokenFile(TokenFileAuthenticator? Authenticator);

/// <summary>
/// Watches the token file: a file system watcher on its directory for edits, renames and replacements, and a poll of
/// its time and size every <see cref="PollInterval"/> because watcher events can be missed (overflow, network file
/// systems, a directory replaced by a configuration manager).
/// </summary>
internal sealed partial class TokenFileReloader(TokenFileAuthenticator? authenticator, IHostApplicationLifetime lifetime, ILogger<TokenFileReloader> logger)
    : SupervisedBackgroundService(lifetime, logger)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (authenticator is null)
        {
            // No token file: nothing to watch, and the supervisor expects the loop to last as long as the host.
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
            return;
        }

        var changed = new SemaphoreSlim(0, 1);
        void Signal(object? sender, EventArgs e)
        {
            if (changed.CurrentCount == 0)
            {
                try
                {
                    changed.Release();
                }
                catch (SemaphoreFullException)
                {
                    // Another event signalled first: one reload covers both.
                }
            }
        }

        var full = System.IO.Path.GetFullPath(authenticator.Path);
        using var watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(full)!, System.IO.Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += Signal;
        watcher.Created += Signal;
        watcher.Deleted += Signal;
        watcher.Renamed += Signal;
        watcher.Error += Signal;
        try
        {
            watcher.EnableRaisingEvents = true;
        }
        catch (IOException ex)
        {
            // Out of inotify watches, say: the poll alone still notices every change, a little later.
            Log.NotWatched(logger, authenticator.Path, ex.Message);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var signalled = await changed.WaitAsync(PollInterval, stoppingToken).ConfigureAwait(false);
            authenticator.Reload(force: signalled);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 752, Level = LogLevel.Warning, Message = "Cannot watch the token file {Path} for changes ({Reason}); it is polled every 2 seconds instead")]
        public static partial void NotWatched(ILogger logger, string path, string reason);
    }
}
