using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using static HostDaemons.Cli.Tests.HdctlRunner;

namespace HostDaemons.Cli.Tests.Commands;

public sealed class CreateConfigMapCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("hdctl-cm");

    public void Dispose() => _temp.Dispose();

    private string Write(string name, string text)
    {
        var path = _temp.Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The ConfigMap a client dry run prints as YAML, read back.</summary>
    private static async Task<ConfigMap> DryRunAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(["create", "configmap", .. args, "--dry-run=client", "-o", "yaml"]);
        Assert.True(code == 0, error);
        Assert.Equal("", error);
        var read = ManifestReader.Read(output, "STDOUT");
        Assert.Empty(read.Problems);
        return Assert.IsType<ConfigMap>(Assert.Single(read.Objects).Value);
    }

    [Fact]
    public async Task Run_Literals_KeysAndValuesQuotesTrimmed()
    {
        var cm = await DryRunAsync("settings", "--from-literal=level=debug", "--from-literal=greeting='hello=world'", "-n", "logging");

        Assert.Equal(("settings", "logging"), (cm.Metadata.Name, cm.Metadata.Namespace));
        Assert.Equal(new Dictionary<string, string> { ["level"] = "debug", ["greeting"] = "hello=world" }, cm.Data);
    }

    [Fact]
    public async Task Run_FileKeyedFileAndDirectory_EachFileAKeyBinaryAsBinaryData()
    {
        var conf = Write("fluent-bit.conf", "[SERVICE]\n    Flush 1\n");
        var dir = _temp.Combine("parsers");
        Write("parsers/json.conf", "[PARSER]\n");
        File.WriteAllBytes(Path.Combine(dir, "logo.png"), [0xff, 0xfe, 0x00]);

        var cm = await DryRunAsync("fluent-bit-config", $"--from-file={conf}", $"--from-file=main={conf}", $"--from-file={dir}");

        Assert.Equal(["fluent-bit.conf", "json.conf", "main"], cm.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("[SERVICE]\n    Flush 1\n", cm.Data["main"]);
        Assert.Equal([0xff, 0xfe, 0x00], cm.BinaryData["logo.png"].ToByteArray());
    }

    [Fact]
    public async Task Run_EnvFile_LinesCommentsAndValuesFromTheEnvironment()
    {
        var env = Write("app.env", "\uFEFFLEVEL=info\n# a comment\n\n  PATH_PREFIX=/srv=x\nEMPTY=\n");

        var cm = await DryRunAsync("app", $"--from-env-file={env}");

        Assert.Equal(new Dictionary<string, string> { ["LEVEL"] = "info", ["PATH_PREFIX"] = "/srv=x", ["EMPTY"] = "" }, cm.Data);
    }

    [Fact]
    public async Task Run_Created_KubectlsLine()
    {
        var (code, output, _) = await RunAsync("create", "cm", "x", "--from-literal=a=1", "--dry-run=client");

        Assert.Equal(0, code);
        Assert.Equal("configmap/x created (dry run)\n", output);
    }

    [Theory]
    [InlineData("--from-literal=a=1", "--from-literal=a=2", "error: cannot add key \"a\", another key by that name already exists in Data for ConfigMap \"x\"")]
    [InlineData("--from-literal=a/b=1", null,
        "error: \"a/b\" is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")]
    [InlineData("--from-literal==1", null, "error: invalid literal source =1, expected key=value")]
    [InlineData("--from-literal=novalue", null, "error: invalid literal source novalue, expected key=value")]
    [InlineData("--from-file=a=b=c", null, "error: key names or file paths cannot contain '='")]
    [InlineData("--from-file==path", null, "error: key name for file path path missing")]
    [InlineData("--from-file=key=", null, "error: file path for key name key missing")]
    [InlineData("--from-file=/nonexistent/file", null, "error: error reading /nonexistent/file: no such file or directory")]
    [InlineData("--from-env-file=/nonexistent/env", "--from-literal=a=1", "error: from-env-file cannot be combined with from-file or from-literal")]
    public async Task Run_BadSources_KubectlsMessage(string first, string? second, string expected)
    {
        var (code, output, error) = await RunAsync(["create", "configmap", "x", first, .. second is null ? [] : new[] { second }]);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(expected + "\n", error);
    }

    [Fact]
    public async Task Run_FileAndLiteralSameKey_DuplicateInData()
    {
        var file = Write("a", "from file");

        var (code, _, error) = await RunAsync("create", "configmap", "x", $"--from-file={file}", "--from-literal=a=literal");

        Assert.Equal(1, code);
        Assert.Equal("error: cannot add key \"a\", another key by that name already exists in Data for ConfigMap \"x\"\n", error);
    }

    [Fact]
    public async Task Run_EnvFileBadKey_KubectlsMessage()
    {
        var env = Write("bad.env", "1ABC=x\n");

        var (code, _, error) = await RunAsync("create", "configmap", "x", $"--from-env-file={env}");

        Assert.Equal(1, code);
        Assert.StartsWith("error: \"1ABC\" is not a valid key name: a valid environment variable name must consist of", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DirectoryWithKeyName_Refused()
    {
        var dir = _temp.Combine("conf.d");
        Directory.CreateDirectory(dir);

        var (code, _, error) = await RunAsync("create", "configmap", "x", $"--from-file=k={dir}");

        Assert.Equal(1, code);
        Assert.Equal("error: cannot give a key name for a directory path\n", error);
    }

    [Fact]
    public async Task Run_OverOneMebibyte_RefusedBeforeSending()
    {
        var big = Write("big.txt", new string('x', 1_048_577));

        var (code, _, error) = await RunAsync("create", "configmap", "x", $"--from-file={big}");

        Assert.Equal(1, code);
        Assert.Equal("error: failed to create configmap: ConfigMap \"x\" is invalid: []: Too long: must have at most 1048576 bytes\n", error);
    }

    [Fact]
    public async Task Run_NoName_ExactlyOneNameRequired()
    {
        var (code, _, error) = await RunAsync("create", "configmap", "--from-literal=a=1");

        Assert.Equal(1, code);
        Assert.Equal("error: exactly one NAME is required, got 0\nSee 'hdctl create configmap --help' for usage.\n", error);
    }

    [Fact]
    public async Task Run_EnvFileLineWithoutValue_TakesTheVariable()
    {
        var env = Write("from-env.env", "HOSTDAEMONS_SERVER\n");

        var cm = await DryRunAsync("x", $"--from-env-file={env}");

        Assert.Equal(UnusedServer, cm.Data["HOSTDAEMONS_SERVER"]);
    }
}
