using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Cli.Tests.Printing;

public sealed class ResourcePrinterTests
{
    private static readonly FakeTimeProvider s_time = new(TestPods.Now);

    private static Pod RunningPod(string name, string ns = "default")
    {
        var pod = TestPods.Pod(name);
        pod.Metadata.Namespace = ns;
        pod.Metadata.Labels["app"] = "ssd-monitor";
        pod.Status.Phase = "Running";
        pod.Status.ContainerStatuses.Add(TestPods.Running("c0"));
        return pod;
    }

    private static DaemonSet DaemonSet(string name) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Status = new DaemonSetStatus { NumberReady = 0, DesiredNumberScheduled = 0 },
    };

    private static string Print(OutputFormat format, IReadOnlyList<IKubeObject> items, bool single = false, bool withNamespace = false, bool showLabels = false, bool header = true)
    {
        using var output = new StringWriter { NewLine = "\n" };
        new ResourcePrinter(format, withNamespace, showLabels, s_time).Print(items[0].ResourceKind, items, single, output, header);
        return output.ToString().ReplaceLineEndings("\n");
    }

    [Fact]
    public void Print_Table_HeaderAndRows()
    {
        var text = Print(OutputFormat.Table, [RunningPod("a-1"), RunningPod("a-22")]);

        Assert.Equal(
            "NAME   READY   STATUS    RESTARTS   AGE\n" +
            "a-1    1/1     Running   0          5m\n" +
            "a-22   1/1     Running   0          5m\n", text);
    }

    [Fact]
    public void Print_TableWithoutHeader_RowsOnly()
    {
        Assert.Equal("a-1   1/1   Running   0     5m\n", Print(OutputFormat.Table, [RunningPod("a-1")], header: false));
    }

    [Fact]
    public void Print_TableAllNamespaces_PrependsNamespace()
    {
        var text = Print(OutputFormat.Table, [RunningPod("a-1", "kube-system")], withNamespace: true);

        Assert.StartsWith("NAMESPACE     NAME   READY", text, StringComparison.Ordinal);
        Assert.Contains("\nkube-system   a-1    1/1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_TableShowLabels_AppendsLabels()
    {
        var text = Print(OutputFormat.Table, [RunningPod("a-1")], showLabels: true);

        Assert.Equal(
            "NAME   READY   STATUS    RESTARTS   AGE   LABELS\n" +
            "a-1    1/1     Running   0          5m    app=ssd-monitor\n", text);
    }

    [Fact]
    public void Print_Wide_UsesWideColumns()
    {
        var text = Print(OutputFormat.Wide, [RunningPod("a-1")]);

        Assert.StartsWith("NAME   READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES\n", text, StringComparison.Ordinal);
        Assert.EndsWith("<none>   node-1   <none>           <none>\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_Name_KindWithGroupAndName()
    {
        var node = new Node { Metadata = new ObjectMeta { Name = "n1" } };

        Assert.Equal("daemonset.apps/a\ndaemonset.apps/b\n", Print(OutputFormat.Name, [DaemonSet("a"), DaemonSet("b")]));
        Assert.Equal("pod/a-1\n", Print(OutputFormat.Name, [RunningPod("a-1")]));
        Assert.Equal("node/n1\n", Print(OutputFormat.Name, [node]));
    }

    [Fact]
    public void NameOf_Kinds_AreQualifiedSingular()
    {
        Assert.Equal("daemonset.apps/x", ResourcePrinter.NameOf(DaemonSet("x")));
        Assert.Equal("pod/p", ResourcePrinter.NameOf(TestPods.Pod("p")));
    }

    [Fact]
    public void Print_YamlSingle_IsTheObject()
    {
        var text = Print(OutputFormat.Yaml, [DaemonSet("a")], single: true);

        Assert.Equal(
            "apiVersion: apps/v1\n" +
            "kind: DaemonSet\n" +
            "metadata:\n" +
            "  name: a\n" +
            "  namespace: default\n" +
            "status:\n" +
            "  desiredNumberScheduled: 0\n" +
            "  numberReady: 0\n", text);
    }

    [Fact]
    public void Print_YamlList_IsKindList()
    {
        var text = Print(OutputFormat.Yaml, [DaemonSet("a"), DaemonSet("b")]);

        Assert.Equal(
            "apiVersion: v1\n" +
            "items:\n" +
            "- apiVersion: apps/v1\n" +
            "  kind: DaemonSet\n" +
            "  metadata:\n" +
            "    name: a\n" +
            "    namespace: default\n" +
            "  status:\n" +
            "    desiredNumberScheduled: 0\n" +
            "    numberReady: 0\n" +
            "- apiVersion: apps/v1\n" +
            "  kind: DaemonSet\n" +
            "  metadata:\n" +
            "    name: b\n" +
            "    namespace: default\n" +
            "  status:\n" +
            "    desiredNumberScheduled: 0\n" +
            "    numberReady: 0\n" +
            "kind: List\n" +
            "metadata:\n" +
            "  resourceVersion: \"\"\n", text);
    }

    [Fact]
    public void Print_YamlOneItemNotSingle_IsStillAList()
    {
        Assert.Contains("kind: List\n", Print(OutputFormat.Yaml, [DaemonSet("a")], single: false), StringComparison.Ordinal);
    }

    [Fact]
    public void Print_JsonSingle_IndentedFourSpaces()
    {
        var text = Print(OutputFormat.Json, [DaemonSet("a")], single: true);

        Assert.Equal(
            "{\n" +
            "    \"apiVersion\": \"apps/v1\",\n" +
            "    \"kind\": \"DaemonSet\",\n" +
            "    \"metadata\": {\n" +
            "        \"name\": \"a\",\n" +
            "        \"namespace\": \"default\"\n" +
            "    },\n" +
            "    \"status\": {\n" +
            "        \"desiredNumberScheduled\": 0,\n" +
            "        \"numberReady\": 0\n" +
            "    }\n" +
            "}\n", text);
    }

    [Fact]
    public void Print_JsonList_IsKindListWithEmptyResourceVersion()
    {
        var text = Print(OutputFormat.Json, [RunningPod("a-1"), RunningPod("a-2")]);

        Assert.StartsWith("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n", text, StringComparison.Ordinal);
        Assert.EndsWith("    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_TableAge_UsesTheTimeProvider()
    {
        var time = new FakeTimeProvider(TestPods.Now);
        time.Advance(TimeSpan.FromHours(2));
        using var output = new StringWriter { NewLine = "\n" };

        new ResourcePrinter(OutputFormat.Table, false, false, time).Print(ResourceKind.Pod, [RunningPod("a-1")], single: false, output, header: false);

        Assert.EndsWith("125m\n", output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Print_EventsAllNamespaces_NamespaceThenKubectlEventColumns()
    {
        var pulled = DescribeFixtures.Event("Pulled", "Container image \"busybox\" already present on machine", 1, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(4));
        var created = DescribeFixtures.Event("SuccessfulCreate", "Created pod: ssd-monitor-x7k2p", 1, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5),
            kind: "DaemonSet", name: "ssd-monitor", component: "daemonset-controller");
        created.Metadata.Namespace = "monitoring";

        var text = Print(OutputFormat.Table, [created, pulled], withNamespace: true);

        Assert.Equal(
            "NAMESPACE    LAST SEEN   TYPE     REASON             OBJECT                  MESSAGE\n" +
            "monitoring   5m          Normal   SuccessfulCreate   daemonset/ssd-monitor   Created pod: ssd-monitor-x7k2p\n" +
            "default      4m          Normal   Pulled             pod/ssd-monitor-x7k2p   Container image \"busybox\" already present on machine\n", text);
    }

    [Fact]
    public void Print_EventName_IsEventQualifiedName()
    {
        Assert.Equal("event/ssd-monitor-x7k2p.pulled\n", Print(OutputFormat.Name, [DescribeFixtures.Event("Pulled", "m", 1, TimeSpan.Zero, TimeSpan.Zero)]));
    }

    [Fact]
    public void Print_EventYaml_KubernetesFieldNames()
    {
        var text = Print(OutputFormat.Yaml, [DescribeFixtures.Event("Pulled", "m", 2, TimeSpan.FromMinutes(1), TimeSpan.Zero)], single: true);

        Assert.Contains("involvedObject:", text, StringComparison.Ordinal);
        Assert.Contains("lastTimestamp:", text, StringComparison.Ordinal);
        Assert.Contains("kind: Event", text, StringComparison.Ordinal);
    }
}
