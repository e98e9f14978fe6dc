using HostDaemons.Model.Printing;

namespace HostDaemons.Cli.Tests.Printing;

public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(1, "1s")]
    [InlineData(45, "45s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(121, "2m1s")]
    [InlineData(200, "3m20s")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(659, "10m")]
    [InlineData(10_799, "179m")]
    [InlineData(10_800, "3h")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(5 * 3600 + 30 * 60, "5h30m")]
    [InlineData(7 * 3600 + 59 * 60 + 59, "7h59m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(8 * 3600 + 30 * 60, "8h")]
    [InlineData(47 * 3600, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(50 * 3600, "2d2h")]
    [InlineData(3 * 86_400 + 4 * 3600, "3d4h")]
    [InlineData(7 * 86_400 + 23 * 3600, "7d23h")]
    [InlineData(8 * 86_400, "8d")]
    [InlineData(8 * 86_400 + 5 * 3600, "8d")]
    [InlineData(400 * 86_400, "400d")]
    [InlineData(729 * 86_400, "729d")]
    [InlineData(730 * 86_400, "2y")]
    [InlineData((3 * 365 + 20) * 86_400, "3y20d")]
    [InlineData((7 * 365 + 364) * 86_400, "7y364d")]
    [InlineData(8 * 365 * 86_400, "8y")]
    [InlineData((10 * 365 + 100) * 86_400, "10y")]
    public void Format_Seconds_FollowsApimachineryHumanDuration(long seconds, string expected)
    {
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(119_999, "119s")]
    [InlineData(500, "0s")]
    [InlineData(-500, "0s")]
    [InlineData(-1000, "0s")]
    [InlineData(-2000, "<invalid>")]
    [InlineData(-60_000, "<invalid>")]
    public void Format_Milliseconds_TruncatesAndToleratesSmallSkew(long milliseconds, string expected)
    {
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Format_BetweenOneAndTwoSecondsInTheFuture_IsZeroSecondsAsKubectl()
    {
        Assert.Equal("0s", HumanDuration.Format(TimeSpan.FromMilliseconds(-1500)));
    }
}
