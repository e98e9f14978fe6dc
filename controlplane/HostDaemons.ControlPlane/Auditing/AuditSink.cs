namespace HostDaemons.ControlPlane.Auditing;

/// <summary>Where audit lines are written: the rotating file, or stdout for <c>--audit-log-path -</c>. Throws <see cref="IOException"/> when it cannot write.</summary>
internal interface IAuditSink : IDisposable
{
    /// <summary>Appends one line (JSON, with its newline).</summary>
    void Write(ReadOnlySpan<byte> line);

    void Flush();
}

/// <summary><c>--audit-log-path -</c>: the process's standard output.</summary>
internal sealed class StdoutAuditSink : IAuditSink
{
    private readonly Stream _stdout = Console.OpenStandardOutput();

    public void Write(ReadOnlySpan<byte> line) => _stdout.Write(line);

    public void Flush() => _stdout.Flush();

    public void Dispose() => _stdout.Dispose();
}

/// <summary>
/// An append-only file rotated by size, as Kubernetes' <c>--audit-log-maxsize</c> (megabytes; 0: never rotated) and
/// <c>--audit-log-maxbackup</c> (old files kept; 0: all) do: past the size the file becomes <c>PATH.1</c>, the older
/// backups move up one number, and those past the limit are deleted. Files are created 0600: the log names users.
/// </summary>
internal sealed class RotatingAuditFile(string path, long maxBytes, int maxBackups) : IAuditSink
{
    private FileStream? _stream;

    public string Path => path;

    public void Write(ReadOnlySpan<byte> line)
    {
        var stream = _stream ??= Open();
        if (maxBytes > 0 && stream.Length > 0 && stream.Length + line.Length > maxBytes)
        {
            stream.Dispose();
            _stream = null;
            Rotate();
            stream = _stream = Open();
        }

        stream.Write(line);
    }

    public void Flush() => _stream?.Flush();

    public void Dispose() => _stream?.Dispose();

    /// <summary>The backup files that exist, by number.</summary>
    internal IEnumerable<(int Number, string File)> Backups()
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var prefix = System.IO.Path.GetFileName(path) + ".";
        return Directory.EnumerateFiles(directory, prefix + "*")
            .Select(f => System.IO.Path.GetFileName(f) is var name && name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(name[prefix.Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? (Number: n, File: f) : (Number: 0, File: f))
            .Where(b => b.Number > 0)
            .OrderBy(b => b.Number);
    }

    private void Rotate()
    {
        foreach (var (number, file) in Backups().Reverse())
        {
            if (maxBackups > 0 && number >= maxBackups)
            {
                File.Delete(file);
            }
            else
            {
                File.Move(file, $"{path}.{number + 1}", overwrite: true);
            }
        }

        File.Move(path, path + ".1", overwrite: true);
    }

    private FileStream Open()
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }
}
