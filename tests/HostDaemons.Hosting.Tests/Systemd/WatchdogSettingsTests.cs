using HostDaemons.Hosting.Systemd;

namespace HostDaemons.Hosting.Tests.Systemd;

public sealed class WatchdogSettingsTests
{
    [Fact]
    public void Read_WatchdogUsecForThisProcess_ReturnsTheTimeout()
    {
        var environment = new Dictionary<string, string?> { ["WATCHDOG_USEC"] = "4000000", ["WATCHDOG_PID"] = "42" };

        Assert.Equal(TimeSpan.FromSeconds(4), WatchdogSettings.Read(environment, processId: 42));
    }

    [Fact]
    public void Read_NoWatchdogPid_AppliesToThisProcess()
    {
        var environment = new Dictionary<string, string?> { ["WATCHDOG_USEC"] = "500000" };

        Assert.Equal(TimeSpan.FromMilliseconds(500), WatchdogSettings.Read(environment, processId: 7));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("0", null)]
    [InlineData("abc", null)]
    [InlineData("-5", null)]
    [InlineData("4000000", "43")]
    [InlineData("4000000", "x")]
    public void Read_NoWatchdogForThisProcess_ReturnsNull(string? usec, string? pid)
    {
        var environment = new Dictionary<string, string?> { ["WATCHDOG_USEC"] = usec, ["WATCHDOG_PID"] = pid };

        Assert.Null(WatchdogSettings.Read(environment, processId: 42));
    }
}
