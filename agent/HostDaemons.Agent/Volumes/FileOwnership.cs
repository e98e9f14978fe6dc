using System.Runtime.InteropServices;

namespace HostDaemons.Agent.Volumes;

/// <summary>chown(2) and rename(2), which .NET does not offer as such (File.Move checks what it replaces; a symlink to a directory is refused).</summary>
internal static partial class FileOwnership
{
    /// <summary>Gives the path (following links) to <paramref name="group"/>, keeping its owner.</summary>
    public static void SetGroup(string path, long group)
    {
        if (Chown(path, uint.MaxValue, (uint)group) != 0)
        {
            throw new IOException($"chown {path} to group {group} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Replaces <paramref name="destination"/> with <paramref name="source"/> in one step, whatever it is.</summary>
    public static void Rename(string source, string destination)
    {
        if (RenameNative(source, destination) != 0)
        {
            throw new IOException($"rename {source} to {destination} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameNative(string source, string destination);
}
