using System.Diagnostics;
using System.Net.Sockets;
using HostDaemons.Agent.Volumes;

namespace HostDaemons.Agent.Tests.Volumes;

/// <summary>What stat(2) says is at a path, for every kind a hostPath type can ask for.</summary>
public sealed class FileKindsTests : IDisposable
{
    private readonly TempDirectory _temp = new("hd-filekinds");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Of_NothingThere_IsMissing()
    {
        Assert.Equal(FileKind.Missing, FileKinds.Of(_temp.Combine("nothing")));
        Assert.Equal(FileKind.Missing, FileKinds.Of(_temp.Combine("no", "such", "parent")));
    }

    [Fact]
    public void Of_Directory_IsDirectory()
    {
        Assert.Equal(FileKind.Directory, FileKinds.Of(_temp.Path));
        Assert.Equal(FileKind.Directory, FileKinds.Of("/"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("some content")]
    public void Of_RegularFile_IsFile(string content)
    {
        var path = _temp.Combine("file.txt");
        File.WriteAllText(path, content);

        Assert.Equal(FileKind.File, FileKinds.Of(path));
    }

    [Fact]
    public void Of_BoundUnixSocket_IsSocket()
    {
        var path = _temp.Combine("s.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        Assert.Equal(FileKind.Socket, FileKinds.Of(path));
    }

    [Theory]
    [InlineData("/dev/null")]
    [InlineData("/dev/zero")]
    public void Of_CharacterDevice_IsCharDevice(string path)
    {
        Assert.Equal(FileKind.CharDevice, FileKinds.Of(path));
    }

    [Fact]
    public void Of_LoopDevice_IsBlockDevice()
    {
        const string loop = "/dev/loop0";
        Assert.SkipUnless(File.Exists(loop), $"{loop} does not exist on this machine");

        Assert.Equal(FileKind.BlockDevice, FileKinds.Of(loop));
    }

    [Fact]
    public async Task Of_NamedPipe_IsOther()
    {
        var path = _temp.Combine("fifo");
        using (var mkfifo = Process.Start("mkfifo", [path]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken).DefaultTimeout();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        Assert.Equal(FileKind.Other, FileKinds.Of(path));
    }

    [Fact]
    public void Of_SymlinkToDirectory_FollowsTheLink()
    {
        var link = _temp.Combine("link");
        File.CreateSymbolicLink(link, _temp.Path);

        Assert.Equal(FileKind.Directory, FileKinds.Of(link));
    }

    [Fact]
    public void Of_SymlinkToFile_FollowsTheLink()
    {
        var target = _temp.Combine("target");
        File.WriteAllText(target, "x");
        var link = _temp.Combine("link");
        File.CreateSymbolicLink(link, target);

        Assert.Equal(FileKind.File, FileKinds.Of(link));
    }

    [Fact]
    public void Of_SymlinkToCharDevice_FollowsTheLink()
    {
        var link = _temp.Combine("null");
        File.CreateSymbolicLink(link, "/dev/null");

        Assert.Equal(FileKind.CharDevice, FileKinds.Of(link));
    }

    [Fact]
    public void Of_DanglingSymlink_IsMissing()
    {
        var link = _temp.Combine("dangling");
        File.CreateSymbolicLink(link, _temp.Combine("gone"));

        Assert.Equal(FileKind.Missing, FileKinds.Of(link));
    }

    [Fact]
    public void Of_PathWithNonAsciiCharacters_IsFound()
    {
        var path = _temp.Combine("données-日志");
        Directory.CreateDirectory(path);

        Assert.Equal(FileKind.Directory, FileKinds.Of(path));
    }
}
