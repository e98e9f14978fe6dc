using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using HostDaemons.Model.Serialization;

namespace HostDaemons.Model.Hashing;

/// <summary>Stable hashes of objects, independent of map order and of empty fields.</summary>
public static class ObjectHash
{
    // Kubernetes' SafeEncodeString alphabet: no vowels, no look-alike characters, so a hash never spells a word.
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>A 10-character hash of the message's canonical JSON, in Kubernetes' safe alphabet.</summary>
    public static string Compute(IMessage message) => Compute(ObjectEncoder.Encode(message).ToJsonString());

    public static string Compute(string canonical)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical), digest);
        var text = new StringBuilder(10);
        for (var i = 0; i < 10; i++)
        {
            text.Append(Alphabet[digest[i] % Alphabet.Length]);
        }

        return text.ToString();
    }

    /// <summary>A random suffix in the same alphabet, as Kubernetes' generateName uses.</summary>
    public static string RandomSuffix(int length = 5)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
        }

        return text.ToString();
    }
}
