using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace HostDaemons.Model.Security;

/// <summary>
/// A join token, <c>HD1-&lt;CA pin&gt;-&lt;id&gt;.&lt;secret&gt;</c> (Docker Swarm's <c>SWMTKN-1-&lt;CA digest&gt;-&lt;secret&gt;</c>
/// with kubeadm's bootstrap token <c>id.secret</c>): the pin (SHA-256 of the CA's SubjectPublicKeyInfo, 64 hex digits)
/// lets a new host check the control plane before it sends anything; the id (6 of <c>[a-z0-9]</c>) names the token
/// and is public; the secret (32 of <c>[a-z0-9]</c>, about 165 bits) proves it.
/// </summary>
public sealed record JoinToken(string CaPin, string Id, string Secret)
{
    public const string Prefix = "HD1-";
    public const int IdLength = 6;
    public const int SecretLength = 32;
    public const int PinLength = 64;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new token for the CA with this pin, with a random id and secret.</summary>
    public static JoinToken Generate(string caPin) => new(caPin.ToLowerInvariant(), RandomString(IdLength), RandomString(SecretLength));

    /// <summary>Parses a token; the error says what is wrong without repeating the secret.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out JoinToken? token, [NotNullWhen(false)] out string? error)
    {
        token = null;
        var value = text?.Trim() ?? "";
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"a join token starts with {Prefix} (HD1-<CA pin>-<id>.<secret>)";
            return false;
        }

        var rest = value[Prefix.Length..];
        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        if (dash != PinLength || !rest[..dash].All(Uri.IsHexDigit))
        {
            error = $"a join token's CA pin is {PinLength} hexadecimal digits (HD1-<CA pin>-<id>.<secret>)";
            return false;
        }

        var credential = rest[(dash + 1)..];
        var dot = credential.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !IsId(credential[..dot]))
        {
            error = $"a join token's id is {IdLength} characters of [a-z0-9] (HD1-<CA pin>-<id>.<secret>)";
            return false;
        }

        if (!IsSecret(credential[(dot + 1)..]))
        {
            error = $"a join token's secret is {SecretLength} characters of [a-z0-9] (HD1-<CA pin>-<id>.<secret>)";
            return false;
        }

        token = new JoinToken(rest[..dash].ToLowerInvariant(), credential[..dot], credential[(dot + 1)..]);
        error = null;
        return true;
    }

    public static bool IsId(string value) => value.Length == IdLength && value.All(IsAlphabet);

    public static bool IsSecret(string value) => value.Length == SecretLength && value.All(IsAlphabet);

    /// <summary>What the control plane keeps instead of the secret: SHA-256, hex (a random secret of this length needs no slow hash).</summary>
    public static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(secret)));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="secretHash"/>, in constant time.</summary>
    public static bool SecretMatches(string secret, string secretHash)
    {
        var actual = System.Text.Encoding.ASCII.GetBytes(HashSecret(secret));
        var expected = System.Text.Encoding.ASCII.GetBytes(secretHash);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>The token as an administrator hands it out.</summary>
    public override string ToString() => $"{Prefix}{CaPin}-{Id}.{Secret}";

    private static bool IsAlphabet(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static string RandomString(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
