using static HostDaemons.Cli.Tests.HdctlRunner;

namespace HostDaemons.Cli.Tests;

public sealed class HdctlAppTests : IDisposable
{
    private readonly TempDirectory _temp = new("hdctl");

    public void Dispose() => _temp.Dispose();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string Write(string name, string text)
    {
        var path = _temp.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string ValidDaemonSet = TestManifests.DaemonSet;

    [Theory]
    [InlineData("version", "--bogus")]
    [InlineData("apply", "-f", "x.yaml", "--bogus")]
    [InlineData("create", "--bogus", "-f", "x.yaml")]
    public async Task RunAsync_UnknownFlagOnSubcommand_ErrorAndSubcommandHelpHint(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(
        [
            "error: unknown flag: --bogus",
            $"See 'hdctl {args[0]} --help' for usage.",
        ], Lines(error));
    }

    [Fact]
    public async Task RunAsync_UnknownFlagOnGet_ErrorAndGetHelpHint()
    {
        var (code, _, error) = await RunAsync(["get", "ds", "--bogus", "--server", UnusedServer]);

        Assert.Equal(1, code);
        var lines = Lines(error);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("--bogus", lines[0], StringComparison.Ordinal);
        Assert.Equal("See 'hdctl get --help' for usage.", lines[1]);
    }

    [Fact]
    public async Task RunAsync_UnknownFlagOnRoot_RootHelpHint()
    {
        var (code, _, error) = await RunAsync(["--bogus"]);

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.EndsWith("See 'hdctl --help' for usage.\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoCommand_IsAnErrorWithRootHelpHint()
    {
        var (code, output, error) = await RunAsync([]);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(["error: Required command was not provided.", "See 'hdctl --help' for usage."], Lines(error));
    }

    [Fact]
    public async Task RunAsync_UnknownCommand_ExitsOneWithRootHelpHint()
    {
        var (code, _, error) = await RunAsync(["frobnicate"]);

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.EndsWith("See 'hdctl --help' for usage.\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownCommand_NamesTheCommand()
    {
        var (_, _, error) = await RunAsync(["frobnicate"]);

        Assert.Contains("frobnicate", Lines(error)[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ApplyWithoutFilename_IsAnError()
    {
        var (code, _, error) = await RunAsync(["apply"]);

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("--filename", error, StringComparison.Ordinal);
        Assert.EndsWith("See 'hdctl apply --help' for usage.\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ApplyMissingFile_PathDoesNotExist()
    {
        var missing = _temp.Combine("nope.yaml");

        var (code, output, error) = await RunAsync(["apply", "-f", missing, "--server", UnusedServer]);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"error: the path \"{missing}\" does not exist\n", error);
    }

    [Fact]
    public async Task RunAsync_CreateMissingFile_PathDoesNotExist()
    {
        var (code, _, error) = await RunAsync(["create", "-f", "no-such-file.yaml"]);

        Assert.Equal(1, code);
        Assert.Equal("error: the path \"no-such-file.yaml\" does not exist\n", error);
    }

    [Fact]
    public async Task RunAsync_ApplyInvalidManifest_PrintsFileLineErrorsWithoutContactingServer()
    {
        var path = Write("bad.yaml", ValidDaemonSet.Replace("image: busybox", "imgae: busybox", StringComparison.Ordinal) + "\n---\n" + ValidDaemonSet.Replace("name: x\nspec", "name: Bad_Name\nspec", StringComparison.Ordinal));

        var (code, output, error) = await RunAsync(["apply", "-f", path, "--server", UnusedServer]);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        var lines = Lines(error);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"error: {path}:14:9: spec.template.spec.containers[0]: unknown field \"imgae\" in Container (did you mean \"image\"?)", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"error: {path}:19:", lines[1], StringComparison.Ordinal);
        Assert.Contains("The DaemonSet \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\"", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("connection", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("refused", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RunAsync_ApplyValidAndInvalidFiles_AppliesNothing()
    {
        var good = Write("a-good.yaml", ValidDaemonSet);
        var bad = Write("b-bad.yaml", ValidDaemonSet + "\n  minReadySeconds: -1\n");

        var (code, output, error) = await RunAsync(["apply", "-f", good, "-f", bad]);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));
        Assert.Equal($"error: {bad}:15:3: The DaemonSet \"x\" is invalid: spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0", line);
    }

    [Fact]
    public async Task RunAsync_ApplyDirectory_ReadsYamlFilesAndReportsEach()
    {
        var dir = _temp.Combine("manifests");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "one.yaml"), "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  nme: x\n");
        File.WriteAllText(Path.Combine(dir, "two.json"), "{\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": \"Ingress\"}");
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "not a manifest");

        var (code, _, error) = await RunAsync(["apply", "-f", dir]);

        Assert.Equal(1, code);
        var lines = Lines(error);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"error: {Path.Combine(dir, "one.yaml")}:4:3: metadata: unknown field \"nme\" in ObjectMeta (did you mean \"name\"?)", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"error: {Path.Combine(dir, "two.json")}:1:", lines[1], StringComparison.Ordinal);
        Assert.Contains("no matches for kind \"Ingress\" in version \"networking.k8s.io/v1\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ApplyFromStdin_ErrorsNameStdin()
    {
        var (code, _, error) = await RunAsync(["apply", "-f", "-"], stdin: "apiVersion: apps/v1\ncind: DaemonSet\n");

        Assert.Equal(1, code);
        Assert.Equal(
        [
            "error: STDIN:1:1: error validating data: [kind not set]",
            "error: STDIN:2:1: unknown field \"cind\" (did you mean \"kind\"?)",
        ], Lines(error));
    }

    [Fact]
    public async Task RunAsync_ApplyYamlSyntaxError_ReportsLine()
    {
        var path = Write("broken.yaml", "apiVersion: apps/v1\nkind: [DaemonSet\n");

        var (code, _, error) = await RunAsync(["apply", "-f", path]);

        Assert.Equal(1, code);
        Assert.StartsWith($"error: {path}:", error, StringComparison.Ordinal);
        Assert.Contains("YAML syntax error", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ApplyEmptyFile_NoObjectsPassed()
    {
        var path = Write("empty.yaml", "# nothing here\n");

        var (code, _, error) = await RunAsync(["apply", "-f", path]);

        Assert.Equal(1, code);
        Assert.Equal("error: no objects passed to apply\n", error);
    }

    [Fact]
    public async Task RunAsync_CreateEmptyFile_NamesCreate()
    {
        var path = Write("empty.yaml", "");

        var (_, _, error) = await RunAsync(["create", "-f", path]);

        Assert.Equal("error: no objects passed to create\n", error);
    }

    [Fact]
    public async Task RunAsync_ApplyNamespaceMismatch_ErrorsBeforeContactingServer()
    {
        var path = Write("ns.yaml", ValidDaemonSet.Replace("  name: x\n", "  name: x\n  namespace: kube-system\n", StringComparison.Ordinal));

        var (code, _, error) = await RunAsync(["apply", "-f", path, "-n", "monitoring"]);

        Assert.Equal(1, code);
        Assert.Equal("error: the namespace from the provided object \"kube-system\" does not match the namespace \"monitoring\". You must pass '--namespace=kube-system' to perform this operation.\n", error);
    }

    [Fact]
    public async Task RunAsync_GetInvalidOutputFormat_UnableToMatchPrinter()
    {
        var (code, output, error) = await RunAsync(["get", "ds", "-o", "xml", "--server", UnusedServer]);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("error: unable to match a printer suitable for the output format \"xml\", allowed formats are: json, yaml, name, wide\n", error);
    }

    [Fact]
    public async Task RunAsync_GetUnknownResourceType_ServerHasNoSuchType()
    {
        var (code, _, error) = await RunAsync(["get", "deployments"]);

        Assert.Equal(1, code);
        Assert.Equal("error: the server doesn't have a resource type \"deployments\"\n", error);
    }

    [Fact]
    public async Task RunAsync_GetWithoutType_IsAnError()
    {
        var (code, _, error) = await RunAsync(["get"]);

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.EndsWith("See 'hdctl get --help' for usage.\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidServerAddress_SaysHowToWriteIt()
    {
        var (code, _, error) = await RunAsync(["get", "ds", "--server", "ftp://example"]);

        Assert.Equal(1, code);
        Assert.Equal("error: invalid server address \"ftp://example\": use https://HOST:PORT (or http://HOST:PORT for a development-mode control plane)\n", error);
    }

    [Fact]
    public async Task RunAsync_ServerNotListening_ConnectionRefusedAsKubectlSaysIt()
    {
        var (code, output, error) = await RunAsync(["get", "ds", "--server", UnusedServer]);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n", error);
    }

    [Fact]
    public async Task RunAsync_VersionClient_PrintsClientVersionOnly()
    {
        var (code, output, error) = await RunAsync(["version", "--client"]);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Matches(@"^Client Version: v\d+\.\d+\.\d+\S*\n$", output);
    }

    [Fact]
    public async Task RunAsync_Help_ListsCommandsAndExitsZero()
    {
        var (code, output, _) = await RunAsync(["--help"]);

        Assert.Equal(0, code);
        foreach (var command in new[] { "apply", "create", "get", "describe", "delete", "label", "logs", "version" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }
}
