using System.Runtime.InteropServices;

namespace HostDaemons.Agent.Volumes;

internal enum FileKind
{
    Missing,
    Directory,
    File,
    Socket,
    CharDevice,
    BlockDevice,
    Other,
}

/// <summary>What is at a path, following links, as stat(2) tells it: .NET cannot tell sockets and devices apart.</summary>
internal static partial class FileKinds
{
    private const int FormatMask = 0xF000;

    public static FileKind Of(string path)
    {
        var buffer = new byte[256];
        if (Stat(path, buffer) != 0)
        {
            return FileKind.Missing;
        }

        // st_mode sits after st_dev and st_ino on arm64, and after st_nlink too on x86-64.
        var offset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        var mode = BitConverter.ToUInt32(buffer, offset);
        return (mode & FormatMask) switch
        {
            0x4000 => FileKind.Directory,
            0x8000 => FileKind.File,
            0xC000 => FileKind.Socket,
            0x2000 => FileKind.CharDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Other,
        };
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, byte[] buffer);
}
