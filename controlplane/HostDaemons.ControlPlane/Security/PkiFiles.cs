namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The control plane's credentials on disk, under <c>--data-dir</c>: <c>pki/ca.crt</c>, <c>pki/ca.key</c>,
/// <c>pki/serving.crt</c>, <c>pki/serving.key</c> and <c>admin.conf</c>. Keys and the kubeconfig are written 0600 (in a
/// 0700 directory), always to a new file renamed into place, so a crash never leaves half a key and a reader never
/// sees one.
/// </summary>
internal sealed class PkiFiles(string dataDir)
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public string Directory { get; } = Path.Combine(dataDir, "pki");

    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    public string CaKey => Path.Combine(Directory, "ca.key");

    public string ServingCertificate => Path.Combine(Directory, "serving.crt");

    public string ServingKey => Path.Combine(Directory, "serving.key");

    public string AdminKubeconfig { get; } = Path.Combine(dataDir, "admin.conf");

    public void EnsureDirectory()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public static void WritePublic(string path, string content) => Write(path, content, Public);

    public static void WritePrivate(string path, string content) => Write(path, content, Private);

    /// <summary>Whether group or others may read <paramref name="path"/> (a key that should be 0600).</summary>
    public static bool IsExposed(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;

    private static void Write(string path, string content, UnixFileMode mode)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
