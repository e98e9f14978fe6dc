using HostDaemons.Model.Quantities;

namespace HostDaemons.Model.Tests.Quantities;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("40s", 40_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("250ms", 250)]
    [InlineData("1m1s", 61_000)]
    [InlineData(" 2s ", 2_000)]
    public void TryParse_GoStyle_Parses(string text, double milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("10")]
    [InlineData("10 s")]
    [InlineData("1w")]
    public void TryParse_Invalid_Fails(string text)
    {
        Assert.False(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.Zero, duration);
    }
}
