namespace HostDaemons.Hosting.Tests;

public sealed class DaemonCommandLineTests
{
    private const string Usage = "Usage: hostdaemons-agent [--server URL] [--node-name NAME]";

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void HandleInformational_Help_PrintsUsageAndExitsZero(string flag)
    {
        using var output = new StringWriter();

        var code = DaemonCommandLine.HandleInformational(["--server", "x", flag], "hostdaemons-agent", Usage, output);

        Assert.Equal(0, code);
        Assert.Equal(Usage + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void HandleInformational_Version_PrintsNameAndVersion()
    {
        using var output = new StringWriter();

        var code = DaemonCommandLine.HandleInformational(["--version"], "hostdaemons-agent", Usage, output);

        Assert.Equal(0, code);
        Assert.Equal($"hostdaemons-agent {DaemonCommandLine.Version}" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void HandleInformational_HelpAndVersion_HelpWins()
    {
        using var output = new StringWriter();

        DaemonCommandLine.HandleInformational(["--version", "--help"], "hostdaemons-agent", Usage, output);

        Assert.Equal(Usage + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void HandleInformational_OtherArguments_ReturnsNullAndPrintsNothing()
    {
        using var output = new StringWriter();

        var code = DaemonCommandLine.HandleInformational(["--server", "http://x:1"], "hostdaemons-agent", Usage, output);

        Assert.Null(code);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void Version_IsTheProductVersionWithoutBuildMetadata()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", DaemonCommandLine.Version);
        Assert.DoesNotContain("+", DaemonCommandLine.Version, StringComparison.Ordinal);
    }
}
