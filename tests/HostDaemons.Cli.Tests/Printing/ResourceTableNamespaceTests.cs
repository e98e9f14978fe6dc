using Google.Protobuf.WellKnownTypes;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Printing;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Cli.Tests.Printing;

public sealed class ResourceTableNamespaceTests
{
    private static Namespace Namespace(string name, string phase, TimeSpan age)
    {
        var ns = new Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new ObjectMeta { Name = name, CreationTimestamp = TestPods.Ago(age), Labels = { ["kubernetes.io/metadata.name"] = name } },
            Spec = new NamespaceSpec { Finalizers = { "kubernetes" } },
            Status = new NamespaceStatus { Phase = phase },
        };
        if (phase == "Terminating")
        {
            ns.Metadata.DeletionTimestamp = Timestamp.FromDateTimeOffset(TestPods.Now);
        }

        return ns;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Header_Namespace_IsKubectlsColumnsWideOrNot(bool wide)
    {
        Assert.Equal(["NAME", "STATUS", "AGE"], ResourceTables.Header(ResourceKind.Namespace, wide));
    }

    [Fact]
    public void Row_Namespace_NamePhaseAge()
    {
        Assert.Equal(["kube-system", "Active", "5d"], ResourceTables.Row(Namespace("kube-system", "Active", TimeSpan.FromDays(5)), wide: false, TestPods.Now));
    }

    [Fact]
    public void Print_Namespaces_AlignedAsKubectlGetNs()
    {
        using var output = new StringWriter { NewLine = "\n" };

        new ResourcePrinter(OutputFormat.Table, withNamespace: false, showLabels: false, new FakeTimeProvider(TestPods.Now)).Print(ResourceKind.Namespace,
            [Namespace("default", "Active", TimeSpan.FromDays(12)), Namespace("kube-system", "Active", TimeSpan.FromDays(12)), Namespace("monitoring", "Terminating", TimeSpan.FromMinutes(3))],
            single: false, output);

        Assert.Equal(
            """
            NAME          STATUS        AGE
            default       Active        12d
            kube-system   Active        12d
            monitoring    Terminating   3m

            """.ReplaceLineEndings("\n"),
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Print_NamespacesWithLabels_LabelsColumnAtTheEnd()
    {
        using var output = new StringWriter { NewLine = "\n" };

        new ResourcePrinter(OutputFormat.Table, withNamespace: false, showLabels: true, new FakeTimeProvider(TestPods.Now))
            .Print(ResourceKind.Namespace, [Namespace("default", "Active", TimeSpan.FromDays(12))], single: false, output);

        Assert.Equal(
            """
            NAME      STATUS   AGE   LABELS
            default   Active   12d   kubernetes.io/metadata.name=default

            """.ReplaceLineEndings("\n"),
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Describe_Namespace_KubectlLayout()
    {
        var ns = Namespace("monitoring", "Active", TimeSpan.FromDays(1));
        ns.Metadata.Labels["team"] = "infra";

        Assert.Equal(
            "Name:         monitoring\n" +
            "Labels:       kubernetes.io/metadata.name=monitoring\n" +
            "              team=infra\n" +
            "Annotations:  <none>\n" +
            "Status:       Active\n",
            Describer.Namespace(ns));
    }

    [Fact]
    public void Describe_TerminatingNamespaceWithAnnotation_ShowsBoth()
    {
        var ns = Namespace("monitoring", "Terminating", TimeSpan.FromDays(1));
        ns.Metadata.Annotations["owner"] = "infra-team";

        var lines = Describer.Namespace(ns).Split('\n');

        Assert.Contains("Annotations:  owner: infra-team", lines);
        Assert.Contains("Status:       Terminating", lines);
    }
}
