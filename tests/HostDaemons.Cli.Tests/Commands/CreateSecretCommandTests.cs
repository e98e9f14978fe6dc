using System.Text;
using System.Text.Json.Nodes;
using HostDaemons.Cli.Commands;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using static HostDaemons.Cli.Tests.HdctlRunner;

namespace HostDaemons.Cli.Tests.Commands;

public sealed class CreateSecretCommandTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Run_DryRunClientYaml_PrintsKubectlsDockerConfigJsonSecret()
    {
        var (code, output, error) = await RunAsync("create", "secret", "docker-registry", "regcred", "--docker-server=127.0.0.1:5000",
            "--docker-username=alice", "--docker-password=s3cret", "--docker-email=a@example.com", "-n", "infra", "--dry-run=client", "-o", "yaml");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        var read = ManifestReader.Read(output, "STDOUT");
        Assert.Empty(read.Problems);
        var secret = Assert.IsType<Secret>(Assert.Single(read.Objects).Value);
        Assert.Equal(("regcred", "infra", "kubernetes.io/dockerconfigjson"), (secret.Metadata.Name, secret.Metadata.Namespace, secret.Type));
        Assert.Equal(
            """{"auths":{"127.0.0.1:5000":{"username":"alice","password":"s3cret","email":"a@example.com","auth":"YWxpY2U6czNjcmV0"}}}""",
            Encoding.UTF8.GetString(secret.Data[".dockerconfigjson"].Span));
    }

    [Fact]
    public async Task Run_DryRunWithoutServer_DefaultsToDockerHub()
    {
        var (code, output, _) = await RunAsync("create", "secret", "docker-registry", "hub", "--docker-username=bob", "--docker-password=pw",
            "--dry-run=client", "-o", "json");

        Assert.Equal(0, code);
        var data = JsonNode.Parse(output)!["data"]![".dockerconfigjson"]!.GetValue<string>();
        var config = JsonNode.Parse(Convert.FromBase64String(data))!;
        Assert.Equal("bob", config["auths"]!["https://index.docker.io/v1/"]!["username"]!.GetValue<string>());
        Assert.Null(config["auths"]!["https://index.docker.io/v1/"]!["email"]);
    }

    [Theory]
    [InlineData("--dry-run", "warning: --dry-run is deprecated and can be replaced with --dry-run=client.\n")]
    [InlineData("--dry-run=client", "")]
    public async Task Run_DryRun_SaysCreatedDryRunWithoutContactingTheServer(string flag, string warning)
    {
        var (code, output, error) = await RunAsync("create", "secret", "docker-registry", "regcred", "--docker-username=a", "--docker-password=b", flag);

        Assert.Equal(0, code);
        Assert.Equal("secret/regcred created (dry run)\n", output);
        Assert.Equal(warning, error);
    }

    [Fact]
    public async Task Run_DryRunOutputName_PrintsTheName()
    {
        var (_, output, _) = await RunAsync("create", "secret", "docker-registry", "regcred", "--docker-username=a", "--docker-password=b", "--dry-run=client", "-o", "name");

        Assert.Equal("secret/regcred\n", output);
    }

    [Fact]
    public async Task Run_NoName_ExactlyOneNameRequired()
    {
        var (code, output, error) = await RunAsync("create", "secret", "docker-registry", "--docker-username=a", "--docker-password=b");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(["error: exactly one NAME is required, got 0", "See 'hdctl create secret docker-registry --help' for usage."], Lines(error));
    }

    [Theory]
    [InlineData("--docker-username=a")]
    [InlineData("--docker-password=b")]
    public async Task Run_MissingCredentials_KubectlsMessage(string only)
    {
        var (code, _, error) = await RunAsync("create", "secret", "docker-registry", "regcred", only);

        Assert.Equal(1, code);
        Assert.Equal("error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required\n", error);
    }

    [Fact]
    public async Task Run_InvalidName_FailsBeforeContactingTheServer()
    {
        var (code, _, error) = await RunAsync("create", "secret", "docker-registry", "Reg_Cred", "--docker-username=a", "--docker-password=b");

        Assert.Equal(1, code);
        Assert.StartsWith("error: failed to create secret Secret \"Reg_Cred\" is invalid: metadata.name: Invalid value: \"Reg_Cred\": ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("connect", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Run_UnknownFlag_HintsAtTheFullCommand()
    {
        var (code, _, error) = await RunAsync("create", "secret", "docker-registry", "regcred", "--from-file=x");

        Assert.Equal(1, code);
        Assert.Equal(["error: unknown flag: --from-file=x", "See 'hdctl create secret docker-registry --help' for usage."], Lines(error));
    }

    [Fact]
    public async Task Run_DryRunServer_AsksTheServer()
    {
        var (code, output, error) = await RunAsync("create", "secret", "docker-registry", "regcred", "--docker-username=a", "--docker-password=b", "--dry-run=server");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("127.0.0.1:1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoDryRun_SendsToTheServer()
    {
        var (code, output, error) = await RunAsync("create", "secret", "docker-registry", "regcred", "--docker-username=a", "--docker-password=b");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("127.0.0.1:1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CreateWithFilename_StillReadsTheFile()
    {
        var (code, _, error) = await RunAsync("create", "-f", "no-such-file.yaml");

        Assert.Equal(1, code);
        Assert.Equal("error: the path \"no-such-file.yaml\" does not exist\n", error);
    }

    [Fact]
    public void Build_Secret_HasTheTypeAndOneKey()
    {
        var secret = CreateDockerRegistrySecretCommand.Build("regcred", "default", "r.io", "u", "p", "");

        Assert.Equal(SecretTypes.DockerConfigJson, secret.Type);
        Assert.Equal([SecretTypes.DockerConfigJsonKey], secret.Data.Keys);
        Assert.Equal(new DockerConfigEntry("r.io", "u", "p", ""), Assert.Single(DockerConfigJson.Read(secret)));
    }
}
