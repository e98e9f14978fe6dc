using System.Text.Json.Nodes;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>A control plane's <c>--audit-log-path</c> file, read as its JSON lines.</summary>
public sealed class AuditLogFile(string path)
{
    public string Path { get; } = path;

    public string Text => File.Exists(Path) ? File.ReadAllText(Path) : "";

    public IReadOnlyList<JsonObject> Lines() =>
        Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();

    /// <summary>Waits (bounded) for a line that <paramref name="match"/> accepts: the writer is asynchronous.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string because)
    {
        JsonObject? found = null;
        await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult((found = Lines().FirstOrDefault(match)) is not null), because, describe: () => Task.FromResult(Text));
        return found!;
    }

    public static string User(JsonObject line) => (string?)line["user"]?["username"] ?? "";

    public static string[] Groups(JsonObject line) => line["user"]?["groups"]?.AsArray().Select(g => (string)g!).ToArray() ?? [];

    public static string Verb(JsonObject line) => (string?)line["verb"] ?? "";

    public static int Code(JsonObject line) => (int?)line["responseStatus"]?["code"] ?? 0;

    public static string? Annotation(JsonObject line, string key) => (string?)line["annotations"]?[key];
}
