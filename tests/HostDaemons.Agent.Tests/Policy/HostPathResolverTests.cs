using HostDaemons.Agent.Policy;

namespace HostDaemons.Agent.Tests.Policy;

/// <summary>Host paths resolved component by component, following links on the host as a mount does.</summary>
public sealed class HostPathResolverTests : IDisposable
{
    private readonly TempDirectory _host = new("hd-resolve");

    public HostPathResolverTests()
    {
        Directory.CreateDirectory(Host("logs", "app"));
        Directory.CreateDirectory(Host("secret"));
    }

    public void Dispose() => _host.Dispose();

    /// <summary>A path in the test's own host directory, resolved itself (the temporary directory may sit behind a link).</summary>
    private string Host(params string[] parts) => Path.Combine([HostPathResolver.Resolve(_host.Path), .. parts]);

    [Fact]
    public void Resolve_PlainExistingPath_IsItself()
    {
        Assert.Equal(Host("logs", "app"), HostPathResolver.Resolve(Host("logs", "app")));
    }

    [Fact]
    public void Resolve_DotDot_LeavesThePrefix()
    {
        Assert.Equal(Host("secret"), HostPathResolver.Resolve(Host("logs", "app") + "/../../secret"));
        Assert.Equal("/etc", HostPathResolver.Resolve("/var/log/../../etc"));
    }

    [Fact]
    public void Resolve_DotAndDoubleSlashes_Ignored()
    {
        Assert.Equal(Host("logs", "app"), HostPathResolver.Resolve(Host("logs") + "/./app//"));
    }

    [Fact]
    public void Resolve_AbsoluteLink_IsItsTarget()
    {
        File.CreateSymbolicLink(Host("logs", "x"), "/etc");

        Assert.Equal("/etc", HostPathResolver.Resolve(Host("logs", "x")));
        Assert.Equal("/etc/hostname", HostPathResolver.Resolve(Host("logs", "x", "hostname")));
    }

    [Fact]
    public void Resolve_RelativeLink_TakenFromTheLinksDirectory()
    {
        File.CreateSymbolicLink(Host("logs", "up"), "../secret");

        Assert.Equal(Host("secret", "key"), HostPathResolver.Resolve(Host("logs", "up", "key")));
    }

    [Fact]
    public void Resolve_DotDotAfterALink_IsTheTargetsRealParent()
    {
        File.CreateSymbolicLink(Host("logs", "ssl"), "/etc/ssl");

        // Read lexically this would be logs itself; the kernel goes to /etc.
        Assert.Equal("/etc", HostPathResolver.Resolve(Host("logs", "ssl") + "/.."));
    }

    [Fact]
    public void Resolve_ChainOfLinks_FollowedToTheEnd()
    {
        File.CreateSymbolicLink(Host("logs", "a"), Host("logs", "b"));
        File.CreateSymbolicLink(Host("logs", "b"), "/etc");

        Assert.Equal("/etc", HostPathResolver.Resolve(Host("logs", "a")));
    }

    [Fact]
    public void Resolve_LoopOfLinks_Throws()
    {
        File.CreateSymbolicLink(Host("logs", "a"), Host("logs", "b"));
        File.CreateSymbolicLink(Host("logs", "b"), Host("logs", "a"));

        var ex = Assert.Throws<IOException>(() => HostPathResolver.Resolve(Host("logs", "a")));

        Assert.Contains("too many levels of symbolic links", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MissingComponents_KeptAsWritten()
    {
        File.CreateSymbolicLink(Host("logs", "x"), "/etc");

        Assert.Equal(Host("logs", "new", "dir"), HostPathResolver.Resolve(Host("logs", "new", "dir")));
        Assert.Equal("/etc/not-there/yet", HostPathResolver.Resolve(Host("logs", "x", "not-there", "yet")));
    }

    [Fact]
    public void Resolve_RelativePath_Throws()
    {
        Assert.Throws<IOException>(() => HostPathResolver.Resolve("var/log"));
    }

    [Theory]
    [InlineData("/var/log", "/var/log", true)]
    [InlineData("/var/log/app/x.log", "/var/log", true)]
    [InlineData("/var/log", "/var/log/", true)]
    [InlineData("/var/logs", "/var/log", false)]
    [InlineData("/var/log2/x", "/var/log", false)]
    [InlineData("/var", "/var/log", false)]
    [InlineData("/etc", "/", true)]
    [InlineData("/", "/var", false)]
    public void IsUnder_PathAndPrefix_ComparesWholeComponents(string path, string prefix, bool under)
    {
        Assert.Equal(under, HostPathResolver.IsUnder(path, prefix));
    }
}
