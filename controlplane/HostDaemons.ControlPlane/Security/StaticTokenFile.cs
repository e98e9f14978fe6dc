using System.Security.Cryptography;
using System.Text;
using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// Kubernetes' static token file (<c>--token-auth-file</c>): one user per line, CSV, <c>token,user,uid[,"group1,group2"]</c>.
/// Stricter than Kubernetes where a lax file would be a hole: a token shorter than <see cref="MinTokenLength"/>, a
/// repeated token, a line without a user and a file over <see cref="MaxFileBytes"/> are errors naming the file and line.
/// Tokens are kept only as SHA-256 hashes, so a lookup compares no token text and no token stays in memory.
/// </summary>
internal sealed class StaticTokenFile
{
    public const int MinTokenLength = 32;
    public const int MaxFileBytes = 1024 * 1024;

    private readonly Dictionary<string, CallerIdentity> _byHash;

    private StaticTokenFile(Dictionary<string, CallerIdentity> byHash) => _byHash = byHash;

    public int Count => _byHash.Count;

    /// <summary>The identity of <paramref name="token"/>, or null when no line has it.</summary>
    public CallerIdentity? Find(string token) => _byHash.GetValueOrDefault(Hash(token));

    /// <summary>Reads <paramref name="path"/>; throws <see cref="TokenFileException"/> (<c>FILE:LINE: why</c>) for a file that cannot be used.</summary>
    public static StaticTokenFile Read(string path)
    {
        string text;
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.Length > MaxFileBytes)
            {
                throw new TokenFileException($"{path}: the token file is {stream.Length} bytes, more than the {MaxFileBytes} allowed");
            }

            using var reader = new StreamReader(stream, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TokenFileException($"{path}: cannot read the token file: {ex.Message}", ex);
        }

        return Parse(path, text);
    }

    public static StaticTokenFile Parse(string path, string text)
    {
        var byHash = new Dictionary<string, CallerIdentity>(StringComparer.Ordinal);
        var lineOfHash = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            number++;
            if (line.IsWhiteSpace())
            {
                continue;
            }

            var where = $"{path}:{number}";
            var fields = SplitCsv(line, where);
            if (fields.Count < 3)
            {
                throw new TokenFileException($"{where}: a line needs at least 3 columns (token, user name, user uid), found {fields.Count}");
            }

            var token = fields[0];
            if (token.Length < MinTokenLength)
            {
                throw new TokenFileException($"{where}: the token is {token.Length} characters long; tokens must be at least {MinTokenLength}");
            }

            var user = fields[1].Trim();
            if (user.Length == 0)
            {
                throw new TokenFileException($"{where}: the user name (column 2) is empty");
            }

            var hash = Hash(token);
            if (lineOfHash.TryGetValue(hash, out var first))
            {
                throw new TokenFileException($"{where}: the same token as line {first}: each token names one user");
            }

            var groups = fields.Count > 3
                ? fields[3].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList()
                : [];
            if (!groups.Contains(ClusterIdentities.AuthenticatedGroup, StringComparer.Ordinal))
            {
                groups.Add(ClusterIdentities.AuthenticatedGroup);
            }

            lineOfHash[hash] = number;
            byHash[hash] = new CallerIdentity(user, groups, AuthenticationMethod.BearerToken);
        }

        return new StaticTokenFile(byHash);
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>One CSV record, as Go's encoding/csv reads it for Kubernetes: commas, double-quoted fields with <c>""</c> for a quote, leading spaces trimmed.</summary>
    private static List<string> SplitCsv(ReadOnlySpan<char> line, string where)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }

            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new TokenFileException($"{where}: a quoted field is not closed");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',')
                {
                    throw new TokenFileException($"{where}: a quoted field must end at a comma");
                }
            }
            else
            {
                var end = line[i..].IndexOf(',');
                var raw = end < 0 ? line[i..] : line.Slice(i, end);
                if (raw.Contains('"'))
                {
                    throw new TokenFileException($"{where}: a quote in an unquoted field");
                }

                field.Append(raw.TrimEnd('\r'));
                i += raw.Length;
            }

            fields.Add(field.ToString());
            if (i >= line.Length)
            {
                return fields;
            }

            i++; // the comma
        }
    }
}

/// <summary>A token file that cannot be used; the message names the file and line.</summary>
internal sealed class TokenFileException(string message, Exception? inner = null) : Exception(message, inner);
