using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Objects;

/// <summary>
/// One registry's credentials from a Docker config, as the kubelet reads them: a non-empty <c>auth</c>
/// (base64 of <c>username:password</c>) takes the place of the username and password written beside it.
/// </summary>
public sealed record DockerConfigEntry(string Server, string Username, string Password, string Email)
{
    /// <summary>Names the registry and the user, never the password.</summary>
    public override string ToString() => $"{Server} ({Username})";
}

/// <summary>
/// The content of registry credential secrets: <c>kubernetes.io/dockerconfigjson</c> (<c>{"auths": {...}}</c>) and the
/// legacy <c>kubernetes.io/dockercfg</c> (the same map without the wrapper). Messages never quote the content.
/// </summary>
public static class DockerConfigJson
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What <c>kubectl create secret docker-registry</c> stores: one server, its credentials and their <c>auth</c>.</summary>
    public static byte[] Build(string server, string username, string password, string email)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("auths");
            writer.WriteStartObject(server);
            WriteIfSet(writer, "username", username);
            WriteIfSet(writer, "password", password);
            WriteIfSet(writer, "email", email);
            WriteIfSet(writer, "auth", EncodeAuth(username, password));
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>auth</c> field: base64 of <c>username:password</c>.</summary>
    public static string EncodeAuth(string username, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));

    /// <summary>Why <paramref name="content"/> is not a usable Docker config, or null when it is.</summary>
    /// <param name="content">The value of the secret's data key.</param>
    /// <param name="wrapped">True for <c>.dockerconfigjson</c> (servers under <c>auths</c>), false for <c>.dockercfg</c>.</param>
    public static string? Check(ReadOnlyMemory<byte> content, bool wrapped) => Parse(content, wrapped, out _);

    /// <summary>
    /// The registry credentials of a secret of type <see cref="SecretTypes.DockerConfigJson"/> or
    /// <see cref="SecretTypes.DockerCfg"/>; none for any other type or when its key is missing or empty.
    /// </summary>
    /// <exception cref="FormatException">The content is not a valid Docker config.</exception>
    public static IReadOnlyList<DockerConfigEntry> Read(Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var (key, wrapped) = secret.Type switch
        {
            SecretTypes.DockerConfigJson => (SecretTypes.DockerConfigJsonKey, true),
            SecretTypes.DockerCfg => (SecretTypes.DockerCfgKey, false),
            _ => ("", false),
        };
        if (key.Length == 0 || !secret.Data.TryGetValue(key, out var content) || content.IsEmpty)
        {
            return [];
        }

        var error = Parse(content.Memory, wrapped, out var entries);
        return error is null ? entries : throw new FormatException(error);
    }

    private static string? Parse(ReadOnlyMemory<byte> content, bool wrapped, out List<DockerConfigEntry> entries)
    {
        entries = [];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException ex)
        {
            return content.IsEmpty ? "unexpected end of JSON input" : $"invalid JSON: {ex.Message}";
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                return $"json: cannot unmarshal {GoKind(root)} into Go value of type map[string]interface {{}}";
            }

            var servers = root;
            if (wrapped)
            {
                if (root.ValueKind == JsonValueKind.Null || !root.TryGetProperty("auths", out servers))
                {
                    return "must contain an \"auths\" object";
                }

                if (servers.ValueKind != JsonValueKind.Object)
                {
                    return $"json: cannot unmarshal {GoKind(servers)} into Go struct field DockerConfigJSON.auths of type credentialprovider.DockerConfig";
                }
            }
            else if (root.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            foreach (var server in servers.EnumerateObject())
            {
                if (ReadEntry(server, out var entry) is { } problem)
                {
                    return problem;
                }

                entries.Add(entry);
            }
        }

        return null;
    }

    private static string? ReadEntry(JsonProperty server, out DockerConfigEntry entry)
    {
        entry = new DockerConfigEntry(server.Name, "", "", "");
        if (server.Value.ValueKind != JsonValueKind.Object)
        {
            return $"json: cannot unmarshal {GoKind(server.Value)} into Go value of type credentialprovider.DockerConfigEntry";
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in (string[])["username", "password", "email", "auth"])
        {
            if (!server.Value.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                fields[name] = "";
            }
            else if (value.ValueKind == JsonValueKind.String)
            {
                fields[name] = value.GetString() ?? "";
            }
            else
            {
                return $"json: cannot unmarshal {GoKind(value)} into Go struct field .{name} of type string";
            }
        }

        var (username, password) = (fields["username"], fields["password"]);
        if (fields["auth"].Length > 0 && !TryDecodeAuth(fields["auth"], out username, out password))
        {
            return $"the auth of \"{server.Name}\" must be formatted as base64(username:password)";
        }

        entry = new DockerConfigEntry(server.Name, username, password, fields["email"]);
        return null;
    }

    /// <summary>The kubelet's decoding of <c>auth</c>: padded or unpadded base64 of <c>username:password</c>.</summary>
    private static bool TryDecodeAuth(string auth, out string username, out string password)
    {
        username = password = "";
        var text = auth.Trim();
        var padded = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        var bytes = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, bytes, out var written))
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(bytes, 0, written);
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        username = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string value)
    {
        if (value.Length > 0)
        {
            writer.WriteString(name, value);
        }
    }

    private static string GoKind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };
}
