using System.Buffers.Binary;
using System.Diagnostics;
using System.Formats.Tar;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Tests.Runtime;

/// <summary>The pod sandbox's program: a static ELF64 executable that only waits, and the rootfs tar it is imported from.</summary>
public sealed class PauseImageTests
{
    private const ulong LoadAddress = 0x400000;
    private const int HeadersSize = 64 + 56;

    public static TheoryData<string, ushort> Programs => new()
    {
        { "x64", 0x3E },
        { "arm64", 0xB7 },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public void X64AndArm64_ElfHeader_IsAStaticLittleEndianElf64Executable(string architecture, ushort machine)
    {
        var program = Program(architecture);

        Assert.Equal([0x7F, (byte)'E', (byte)'L', (byte)'F'], program[..4]);
        Assert.Equal(2, program[4]); // ELFCLASS64
        Assert.Equal(1, program[5]); // little endian
        Assert.Equal(1, program[6]); // EV_CURRENT
        Assert.Equal(0, program[7]); // System V ABI
        Assert.All(program[8..16], b => Assert.Equal(0, b));
        Assert.Equal(2, U16(program, 16)); // ET_EXEC
        Assert.Equal(machine, U16(program, 18));
        Assert.Equal(1u, U32(program, 20));
        Assert.Equal(LoadAddress + HeadersSize, U64(program, 24)); // entry: the first byte after the headers
        Assert.Equal(64UL, U64(program, 32)); // program headers right after the ELF header
        Assert.Equal(0UL, U64(program, 40)); // no section headers
        Assert.Equal(64, U16(program, 52));
        Assert.Equal(56, U16(program, 54));
        Assert.Equal(1, U16(program, 56));
        Assert.Equal(0, U16(program, 60));
    }

    [Theory]
    [InlineData("x64")]
    [InlineData("arm64")]
    public void X64AndArm64_LoadSegment_CoversTheWholeFileReadAndExecute(string architecture)
    {
        var program = Program(architecture);

        Assert.Equal(1u, U32(program, 64)); // PT_LOAD
        Assert.Equal(5u, U32(program, 68)); // PF_R | PF_X, never writable
        Assert.Equal(0UL, U64(program, 72)); // from the start of the file
        Assert.Equal(LoadAddress, U64(program, 80));
        Assert.Equal(LoadAddress, U64(program, 88));
        Assert.Equal((ulong)program.Length, U64(program, 96));
        Assert.Equal((ulong)program.Length, U64(program, 104));
        Assert.Equal(0x1000UL, U64(program, 112));
        Assert.Equal(0UL, LoadAddress % 0x1000);
        var entry = U64(program, 24);
        Assert.InRange(entry, LoadAddress, LoadAddress + (ulong)program.Length - 1);
    }

    [Fact]
    public void X64_Code_LoopsOnThePauseSystemCall()
    {
        var code = PauseImage.X64()[HeadersSize..];

        // mov eax, 34 (pause); syscall; jmp back to the mov.
        Assert.Equal([0xB8, 0x22, 0x00, 0x00, 0x00, 0x0F, 0x05, 0xEB, 0xF7], code);
        var jumpEnd = code.Length;
        Assert.Equal(0, jumpEnd + (sbyte)code[^1]);
        Assert.Equal(HeadersSize + 9, PauseImage.X64().Length);
    }

    [Fact]
    public void Arm64_Code_LoopsOnPpollWithNoDescriptorsAndNoTimeout()
    {
        var code = PauseImage.Arm64()[HeadersSize..];

        Assert.Equal(0, code.Length % 4);
        var instructions = Enumerable.Range(0, code.Length / 4).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(code.AsSpan(i * 4))).ToArray();
        Assert.Equal([0xD2800000u, 0xD2800001u, 0xD2800002u, 0xD2800003u], instructions[..4]); // x0..x3 = 0
        Assert.Equal(0xD2800000u | (73u << 5) | 8u, instructions[4]); // x8 = 73 (ppoll)
        Assert.Equal(0xD4000001u, instructions[5]); // svc #0
        var branch = instructions[6];
        Assert.Equal(0b000101u, branch >> 26); // b
        var offset = (int)(branch << 6) >> 6; // imm26, sign-extended, in instructions
        Assert.Equal(0, 6 + offset);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task X64_Program_RunsAndKeepsWaiting()
    {
        Assert.SkipUnless(RuntimeInformation.ProcessArchitecture == Architecture.X64, "runs only on x86-64");
        using var temp = new TempDirectory("hd-pause");
        var path = temp.Combine("pause");
        await File.WriteAllBytesAsync(path, PauseImage.X64(), TestContext.Current.CancellationToken);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        using var process = Process.Start(new ProcessStartInfo(path) { UseShellExecute = false })!;
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            wait.CancelAfter(TimeSpan.FromMilliseconds(200));
            var exited = process.WaitForExitAsync(wait.Token);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => exited);

            Assert.False(process.HasExited, "the pause program exited on its own");
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).DefaultTimeout();
        }

        Assert.True(process.HasExited);
    }

    [Fact]
    public async Task CreateRootfs_IsATarWithOneExecutablePauseEntry()
    {
        Assert.SkipUnless(RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64, "no sandbox program for this architecture");
        using var tar = PauseImage.CreateRootfs();

        Assert.Equal(0, tar.Position);
        using var reader = new TarReader(tar);
        var entry = await reader.GetNextEntryAsync(copyData: true, TestContext.Current.CancellationToken);
        Assert.NotNull(entry);
        Assert.Null(await reader.GetNextEntryAsync(cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("pause", entry.Name);
        Assert.Equal(TarEntryType.RegularFile, entry.EntryType);
        Assert.Equal(TarEntryFormat.Ustar, entry.Format);
        var execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        Assert.Equal(execute, entry.Mode & execute);
        Assert.Equal(UnixFileMode.None, entry.Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        using var data = new MemoryStream();
        await entry.DataStream!.CopyToAsync(data, TestContext.Current.CancellationToken);
        var expected = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? PauseImage.X64() : PauseImage.Arm64();
        Assert.Equal(expected, data.ToArray());
    }

    [Fact]
    public void Name_IsAVersionedLocalImage()
    {
        Assert.Equal("hostdaemons/pause:1", PauseImage.Name);
    }

    private static byte[] Program(string architecture) => architecture == "x64" ? PauseImage.X64() : PauseImage.Arm64();

    private static ushort U16(byte[] data, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset));

    private static uint U32(byte[] data, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset));

    private static ulong U64(byte[] data, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(offset));
}
