using System.Diagnostics;
using System.Text;
using HostDaemons.Agent.Volumes;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Volumes;

/// <summary>The kubelet's atomic volume layout, written into a temporary directory.</summary>
public sealed class AtomicWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new("hd-atomic");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, 123, TimeSpan.Zero));
    private readonly AtomicWriter _writer;

    public AtomicWriterTests()
    {
        _writer = new AtomicWriter(_time);
    }

    private string Target => _temp.Combine("config");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_FirstTime_MakesTimestampedDirectoryDataLinkAndVisibleLinks()
    {
        var written = _writer.Write(Target, Payload(("app.conf", "level=info", 420), ("nested/inner.txt", "x", 256)));

        Assert.True(written);
        var data = new FileInfo(Path.Combine(Target, "..data")).LinkTarget;
        Assert.NotNull(data);
        Assert.Matches(@"^\.\.2026_12_06_08_00_00\.\d{9}$", data);
        Assert.Equal("..data/app.conf", new FileInfo(Path.Combine(Target, "app.conf")).LinkTarget);
        Assert.Equal("..data/nested", new FileInfo(Path.Combine(Target, "nested")).LinkTarget);
        Assert.Equal("level=info", File.ReadAllText(Path.Combine(Target, "app.conf")));
        Assert.Equal("x", File.ReadAllText(Path.Combine(Target, "nested", "inner.txt")));
        Assert.Equal((UnixFileMode)420, File.GetUnixFileMode(Path.Combine(Target, data, "app.conf")));
        Assert.Equal((UnixFileMode)256, File.GetUnixFileMode(Path.Combine(Target, data, "nested", "inner.txt")));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(Target, data)));
        Assert.Equal(Sorted("..data", data, "app.conf", "nested"), Entries());
    }

    [Fact]
    public void Write_SameContentAgain_WritesNothing()
    {
        _writer.Write(Target, Payload(("a", "1", 420), ("b", "2", 420)));
        var before = DataTarget();
        _time.Advance(TimeSpan.FromSeconds(30));

        var written = _writer.Write(Target, Payload(("b", "2", 420), ("a", "1", 420)));

        Assert.False(written);
        Assert.Equal(before, DataTarget());
        Assert.Equal(Sorted("..data", before, "a", "b"), Entries());
    }

    [Fact]
    public void Write_ChangedContent_SwapsToANewDirectoryAndRemovesTheOld()
    {
        _writer.Write(Target, Payload(("a", "1", 420)));
        var before = DataTarget();
        _time.Advance(TimeSpan.FromMinutes(1));

        var written = _writer.Write(Target, Payload(("a", "2", 420)));

        Assert.True(written);
        var after = DataTarget();
        Assert.NotEqual(before, after);
        Assert.StartsWith("..2026_12_06_08_01_00.", after, StringComparison.Ordinal);
        Assert.Equal("2", File.ReadAllText(Path.Combine(Target, "a")));
        Assert.Equal(Sorted("..data", after, "a"), Entries());
    }

    [Fact]
    public void Write_KeyRemoved_RemovesItsVisibleLinkAndFile()
    {
        _writer.Write(Target, Payload(("a", "1", 420), ("b", "2", 420), ("dir/c", "3", 420)));

        _writer.Write(Target, Payload(("a", "1", 420)));

        Assert.Equal(Sorted("..data", DataTarget(), "a"), Entries());
        Assert.False(File.Exists(Path.Combine(Target, "..data", "b")));
    }

    [Fact]
    public void Write_OnlyTheModeChanged_Rewrites()
    {
        _writer.Write(Target, Payload(("a", "1", 420)));

        var written = _writer.Write(Target, Payload(("a", "1", 256)));

        Assert.True(written);
        Assert.Equal((UnixFileMode)256, File.GetUnixFileMode(Path.Combine(Target, DataTarget(), "a")));
    }

    [Fact]
    public void Write_EmptyPayload_GivesAnEmptyVolume()
    {
        _writer.Write(Target, Payload(("a", "1", 420)));

        _writer.Write(Target, Payload());

        Assert.Equal(Sorted("..data", DataTarget()), Entries());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Target, DataTarget())));
    }

    [Fact]
    public void Write_LeftoverHiddenDirectories_AreRemoved()
    {
        Directory.CreateDirectory(Path.Combine(Target, "..2020_01_01_00_00_00.000000001"));
        _writer.Write(Target, Payload(("a", "1", 420)));

        Assert.Equal(Sorted("..data", DataTarget(), "a"), Entries());
    }

    [Fact]
    public void Write_FsGroup_GivesFilesAndDirectoriesToTheGroupReadable()
    {
        _writer.Write(Target, Payload(("a", "1", 256), ("d/b", "2", 384)), fsGroup: 2345);

        var data = Path.Combine(Target, DataTarget());
        Assert.Equal((UnixFileMode)0x120 | (UnixFileMode)256, File.GetUnixFileMode(Path.Combine(data, "a")));
        Assert.Equal((UnixFileMode)0x1A0, File.GetUnixFileMode(Path.Combine(data, "d", "b")));
        Assert.True(File.GetUnixFileMode(data).HasFlag(UnixFileMode.SetGroup));
        Assert.Equal("2345", Group(Path.Combine(data, "a")));
        Assert.Equal("2345", Group(Path.Combine(data, "d")));
        Assert.False(_writer.Write(Target, Payload(("a", "1", 256), ("d/b", "2", 384)), fsGroup: 2345));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/absolute")]
    [InlineData("..hidden")]
    [InlineData("a/../../b")]
    [InlineData("")]
    public void Write_PathOutsideTheVolume_IsRefused(string path)
    {
        Assert.Throws<ArgumentException>(() => _writer.Write(Target, Payload((path, "x", 420))));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "escape")));
    }

    private string DataTarget() => new FileInfo(Path.Combine(Target, "..data")).LinkTarget!;

    private List<string> Entries() => [.. Directory.EnumerateFileSystemEntries(Target).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    private static List<string> Sorted(params string[] names) => [.. names.Order(StringComparer.Ordinal)];

    private static Dictionary<string, FileProjection> Payload(params (string Path, string Text, int Mode)[] files) =>
        files.ToDictionary(f => f.Path, f => new FileProjection(Encoding.UTF8.GetBytes(f.Text), f.Mode), StringComparer.Ordinal);

    private static string Group(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%g", path]) { RedirectStandardOutput = true })!;
        var output = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();
        return output.Trim();
    }
}
