using Google.Protobuf;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Printing;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Cli.Tests.Printing;

public sealed class ResourceTableSecretTests
{
    private static Secret Secret(string name, string type, int keys)
    {
        var secret = new Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new ObjectMeta { Name = name, Namespace = "default", CreationTimestamp = TestPods.Ago(TimeSpan.FromMinutes(3)) },
            Type = type,
        };
        for (var i = 0; i < keys; i++)
        {
            secret.Data[$"k{i}"] = ByteString.CopyFromUtf8("v");
        }

        return secret;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Header_Secret_IsKubectlsColumnsWideOrNot(bool wide)
    {
        Assert.Equal(["NAME", "TYPE", "DATA", "AGE"], ResourceTables.Header(ResourceKind.Secret, wide));
    }

    [Fact]
    public void Row_Secret_NameTypeKeyCountAge()
    {
        Assert.Equal(["regcred", "kubernetes.io/dockerconfigjson", "1", "3m"],
            ResourceTables.Row(Secret("regcred", "kubernetes.io/dockerconfigjson", 1), wide: false, TestPods.Now));
    }

    [Fact]
    public void Print_Secrets_AlignedAsKubectlGetSecrets()
    {
        using var output = new StringWriter { NewLine = "\n" };

        new ResourcePrinter(OutputFormat.Table, withNamespace: false, showLabels: false, new FakeTimeProvider(TestPods.Now))
            .Print(ResourceKind.Secret, [Secret("regcred", "kubernetes.io/dockerconfigjson", 1), Secret("tokens", "Opaque", 3)], single: false, output);

        Assert.Equal(
            """
            NAME      TYPE                             DATA   AGE
            regcred   kubernetes.io/dockerconfigjson   1      3m
            tokens    Opaque                           3      3m

            """.ReplaceLineEndings("\n"),
            output.ToString().ReplaceLineEndings("\n"));
    }
}
