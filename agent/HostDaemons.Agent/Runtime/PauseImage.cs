using System.Formats.Tar;
using System.Runtime.InteropServices;

namespace HostDaemons.Agent.Runtime;

/// <summary>
/// The image of a pod's sandbox: the container that holds the network namespace a pod's containers share, as
/// Kubernetes' pause container does. No registry is needed: the agent builds it from a 130-byte static program that
/// only ever waits (x86-64: pause(2); arm64: ppoll(2)), written here as machine code, and imports it into the engine.
/// </summary>
internal static class PauseImage
{
    public const string Name = "hostdaemons/pause:1";

    private const ulong LoadAddress = 0x400000;
    private const int HeadersSize = 64 + 56;

    /// <summary>A tar of the image's one file, <c>/pause</c>, for this machine's architecture.</summary>
    public static MemoryStream CreateRootfs()
    {
        var program = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => X64(),
            Architecture.Arm64 => Arm64(),
            var other => throw new PlatformNotSupportedException($"no pod sandbox program for {other}"),
        };
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "pause")
            {
                DataStream = new MemoryStream(program),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            });
        }

        tar.Position = 0;
        return tar;
    }

    /// <summary>loop: mov eax, 34 (pause); syscall; jmp loop.</summary>
    internal static byte[] X64() => Elf(machine: 0x3E, [0xB8, 0x22, 0x00, 0x00, 0x00, 0x0F, 0x05, 0xEB, 0xF7]);

    /// <summary>loop: x0..x3 = 0; x8 = 73 (ppoll); svc 0; b loop.</summary>
    internal static byte[] Arm64()
    {
        uint[] instructions = [0xD2800000, 0xD2800001, 0xD2800002, 0xD2800003, 0xD2800928, 0xD4000001, 0x17FFFFFA];
        return Elf(machine: 0xB7, [.. instructions.SelectMany(BitConverter.GetBytes)]);
    }

    /// <summary>A static ELF64 executable: the ELF header, one loadable segment, then the code.</summary>
    private static byte[] Elf(ushort machine, byte[] code)
    {
        var image = new byte[HeadersSize + code.Length];
        using var writer = new BinaryWriter(new MemoryStream(image));
        writer.Write([0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]);
        writer.Write(0UL);
        writer.Write((ushort)2);
        writer.Write(machine);
        writer.Write(1u);
        writer.Write(LoadAddress + HeadersSize);
        writer.Write(64UL);
        writer.Write(0UL);
        writer.Write(0u);
        writer.Write((ushort)64);
        writer.Write((ushort)56);
        writer.Write((ushort)1);
        writer.Write((ushort)0);
        writer.Write((ushort)0);
        writer.Write((ushort)0);

        writer.Write(1u);
        writer.Write(5u);
        writer.Write(0UL);
        writer.Write(LoadAddress);
        writer.Write(LoadAddress);
        writer.Write((ulong)image.Length);
        writer.Write((ulong)image.Length);
        writer.Write(0x1000UL);
        writer.Write(code);
        return image;
    }
}
