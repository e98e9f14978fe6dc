using HostDaemons.Model.Security;

namespace HostDaemons.Model.Tests.Security;

public sealed class JoinTokenTests
{
    private static readonly string s_pin = new('a', 64);

    [Fact]
    public void Generate_ToString_ParsesBackToTheSameToken()
    {
        var token = JoinToken.Generate(s_pin);

        Assert.Matches("^HD1-a{64}-[a-z0-9]{6}\\.[a-z0-9]{32}$", token.ToString());
        Assert.True(JoinToken.TryParse(token.ToString(), out var parsed, out var error), error);
        Assert.Equal(token, parsed);
    }

    [Fact]
    public void Generate_TwoTokens_HaveDifferentIdsAndSecrets()
    {
        var first = JoinToken.Generate(s_pin);
        var second = JoinToken.Generate(s_pin);

        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(first.Secret, second.Secret);
    }

    [Theory]
    [InlineData("", "starts with HD1-")]
    [InlineData("SWMTKN-1-abc", "starts with HD1-")]
    [InlineData("HD1-abc-abcdef.0123456789abcdef0123456789abcdef", "CA pin is 64 hexadecimal digits")]
    [InlineData("HD1-gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg-abcdef.0123456789abcdef0123456789abcdef", "CA pin is 64 hexadecimal digits")]
    [InlineData("HD1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-ABCDEF.0123456789abcdef0123456789abcdef", "id is 6 characters")]
    [InlineData("HD1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-abcdef", "id is 6 characters")]
    [InlineData("HD1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-abcdef.short", "secret is 32 characters")]
    public void TryParse_Malformed_SaysWhatIsWrongWithoutTheSecret(string text, string expected)
    {
        Assert.False(JoinToken.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("short", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_UpperCasePinAndSurroundingWhitespace_Accepted()
    {
        var text = $"  HD1-{new string('A', 64)}-abcdef.0123456789abcdef0123456789abcdef\n";

        Assert.True(JoinToken.TryParse(text, out var token, out _));
        Assert.Equal(s_pin, token.CaPin);
        Assert.Equal("abcdef", token.Id);
    }

    [Fact]
    public void SecretMatches_TheHash_OnlyForTheSameSecret()
    {
        var token = JoinToken.Generate(s_pin);
        var hash = JoinToken.HashSecret(token.Secret);

        Assert.DoesNotContain(token.Secret, hash, StringComparison.Ordinal);
        Assert.Equal(64, hash.Length);
        Assert.True(JoinToken.SecretMatches(token.Secret, hash));
        Assert.False(JoinToken.SecretMatches(JoinToken.Generate(s_pin).Secret, hash));
        Assert.False(JoinToken.SecretMatches(token.Secret, ""));
    }
}
