using System.Text.Json.Nodes;
using HostDaemons.Cli.Commands;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using static HostDaemons.Cli.Tests.HdctlRunner;

namespace HostDaemons.Cli.Tests.Commands;

public sealed class CreateNamespaceCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("hdctl-ns");

    public void Dispose() => _temp.Dispose();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("namespace")]
    [InlineData("ns")]
    public async Task Run_DryRun_SaysNamespaceCreatedWithoutContactingTheServer(string noun)
    {
        var (code, output, error) = await RunAsync("create", noun, "team-a", "--dry-run=client");

        Assert.Equal(0, code);
        Assert.Equal("namespace/team-a created (dry run)\n", output);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Run_DryRunYaml_PrintsTheNamespaceKubectlSends()
    {
        var (code, output, error) = await RunAsync("create", "namespace", "team-a", "--dry-run=client", "-o", "yaml");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        var read = ManifestReader.Read(output, "STDOUT");
        Assert.Empty(read.Problems);
        var ns = Assert.IsType<Namespace>(Assert.Single(read.Objects).Value);
        Assert.Equal("team-a", ns.Metadata.Name);
        Assert.Equal("", ns.Metadata.Namespace);
    }

    [Fact]
    public async Task Run_DryRunJson_OnlyTheName()
    {
        var (_, output, _) = await RunAsync("create", "ns", "team-a", "--dry-run=client", "-o", "json");

        var json = JsonNode.Parse(output)!;
        Assert.Equal(("v1", "Namespace", "team-a"), (json["apiVersion"]!.GetValue<string>(), json["kind"]!.GetValue<string>(), json["metadata"]!["name"]!.GetValue<string>()));
        Assert.Null(json["metadata"]!["labels"]);
    }

    [Fact]
    public async Task Run_DryRunOutputName_PrintsTheName()
    {
        var (_, output, _) = await RunAsync("create", "namespace", "team-a", "--dry-run=client", "-o", "name");

        Assert.Equal("namespace/team-a\n", output);
    }

    [Fact]
    public async Task Run_WithoutDryRun_SendsItToTheServer()
    {
        var (code, output, error) = await RunAsync("create", "namespace", "team-a");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n", error);
    }

    [Theory]
    [InlineData("Team-A")]
    [InlineData("a.b")]
    public async Task Run_NameNotADnsLabel_KubernetesErrorBeforeContactingTheServer(string name)
    {
        var (code, output, error) = await RunAsync("create", "namespace", name);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.StartsWith($"The Namespace \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("a", "b")]
    public async Task Run_NotExactlyOneName_KubectlsMessage(params string[] names)
    {
        var (code, _, error) = await RunAsync(["create", "namespace", .. names]);

        Assert.Equal(1, code);
        Assert.Equal([$"error: exactly one NAME is required, got {names.Length}", "See 'hdctl create namespace --help' for usage."], Lines(error));
    }

    [Fact]
    public async Task Run_BadDryRunValue_KubectlsMessage()
    {
        var (code, _, error) = await RunAsync("create", "namespace", "team-a", "--dry-run=maybe");

        Assert.Equal(1, code);
        Assert.Equal("error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".\n", error);
    }

    [Fact]
    public async Task Run_WideOutput_NoPrinter()
    {
        var (code, _, error) = await RunAsync("create", "namespace", "team-a", "-o", "wide");

        Assert.Equal(1, code);
        Assert.Equal("error: unable to match a printer suitable for the output format \"wide\", allowed formats are: json, yaml, name\n", error);
    }

    [Fact]
    public async Task Run_CreateFromFile_StillReadsTheFileAndGoesToTheServer()
    {
        var path = _temp.Combine("ns.yaml");
        await File.WriteAllTextAsync(path, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n", TestContext.Current.CancellationToken);

        var (code, _, error) = await RunAsync("create", "-f", path);

        Assert.Equal(1, code);
        Assert.Equal("The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n", error);
    }

    [Fact]
    public void Build_OnlyTheName()
    {
        var ns = CreateNamespaceCommand.Build("team-a");

        Assert.Equal(new Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new ObjectMeta { Name = "team-a" } }, ns);
        Assert.Equal("namespace/team-a", ResourcePrinter.NameOf(ns));
        Assert.Same(ResourceKinds.Namespace, ResourceKinds.Get(ns.ResourceKind));
    }
}
