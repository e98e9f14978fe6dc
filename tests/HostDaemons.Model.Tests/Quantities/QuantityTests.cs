using HostDaemons.Model.Quantities;

namespace HostDaemons.Model.Tests.Quantities;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("100m", "0.1")]
    [InlineData("0.5", "0.5")]
    [InlineData("1", "1")]
    [InlineData(".5", "0.5")]
    [InlineData("+2", "2")]
    [InlineData("250u", "0.00025")]
    [InlineData("1n", "0.000000001")]
    [InlineData("1k", "1000")]
    [InlineData("1M", "1000000")]
    [InlineData("1G", "1000000000")]
    [InlineData("2T", "2000000000000")]
    [InlineData("1e3", "1000")]
    [InlineData("1E3", "1000")]
    [InlineData("1.5e-3", "0.0015")]
    [InlineData("1Ki", "1024")]
    [InlineData("64Mi", "67108864")]
    [InlineData("1Gi", "1073741824")]
    [InlineData("1.5Gi", "1610612736")]
    [InlineData("1Ti", "1099511627776")]
    [InlineData("1Pi", "1125899906842624")]
    [InlineData("0", "0")]
    public void TryParse_ValidQuantity_GivesValue(string text, string expected)
    {
        Assert.True(Quantity.TryParse(text, out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1K")]
    [InlineData("1mi")]
    [InlineData("Mi")]
    [InlineData("m")]
    [InlineData("1Mx")]
    [InlineData("one")]
    [InlineData(null)]
    public void TryParse_InvalidQuantity_Fails(string? text)
    {
        Assert.False(Quantity.TryParse(text, out var value));
        Assert.Equal(0m, value);
    }

    [Fact]
    public void Parse_Invalid_ThrowsWithKubernetesRegexMessage()
    {
        var ex = Assert.Throws<FormatException>(() => Quantity.Parse("abc"));

        Assert.Equal("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", ex.Message);
    }

    [Fact]
    public void TryParse_Negative_ParsesSoValidationCanRejectIt()
    {
        Assert.True(Quantity.TryParse("-1", out var value));
        Assert.Equal(-1m, value);
    }

    [Theory]
    [InlineData("100m", 100)]
    [InlineData("0.5", 500)]
    [InlineData("1", 1000)]
    [InlineData("1.0001", 1001)]
    [InlineData("1u", 1)]
    public void ToMilli_RoundsUp(string text, long expected)
    {
        Assert.Equal(expected, Quantity.ToMilli(Quantity.Parse(text)));
    }

    [Theory]
    [InlineData("64Mi", 67108864)]
    [InlineData("1k", 1000)]
    [InlineData("0.5", 1)]
    [InlineData("100m", 1)]
    public void ToWhole_RoundsUp(string text, long expected)
    {
        Assert.Equal(expected, Quantity.ToWhole(Quantity.Parse(text)));
    }
}
