using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Serialization;

public sealed class ManifestReaderTests
{
    private static string Example(string path) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", path));

    [Fact]
    public void Read_SsdMonitorExample_DecodesDaemonSetWithDefaults()
    {
        var result = ManifestReader.Read(Example("ssd-monitor/ssd-monitor-daemonset.yaml"), "ssd.yaml");

        Assert.Empty(result.Problems);
        var ds = Assert.IsType<DaemonSet>(Assert.Single(result.Objects).Value);
        Assert.Equal("ssd-monitor", ds.Metadata.Name);
        Assert.Equal("default", ds.Metadata.Namespace);
        Assert.Equal("ssd", ds.Spec.Template.Spec.NodeSelector["disk"]);
        Assert.Equal("ssd-monitor", ds.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal("IfNotPresent", ds.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal("RollingUpdate", ds.Spec.UpdateStrategy.Type);
        Assert.Equal(1, ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.IntValue);
        Assert.Equal(30, ds.Spec.Template.Spec.TerminationGracePeriodSeconds);
    }

    [Theory]
    [InlineData("fluentd/fluentd-ds.yaml")]
    [InlineData("fluentd/fluentd-elasticsearch.yaml")]
    public void Read_SeedExamples_ApplyAsWritten(string path)
    {
        var result = ManifestReader.Read(Example(path), path);

        Assert.Empty(result.Problems);
        var ds = Assert.IsType<DaemonSet>(Assert.Single(result.Objects).Value);
        Assert.Equal("kube-system", ds.Metadata.Namespace);
    }

    [Fact]
    public void Read_SeedAsPrinted_NamesEveryMisspelledFieldWithItsLine()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "ssd-monitor-as-printed.yaml"));

        var result = ManifestReader.Read(text, "ssd-monitor-daemonset.yaml");

        Assert.Empty(result.Objects);
        var messages = result.Problems.Select(p => p.ToString()).ToArray();
        Assert.Contains(messages, m => m.StartsWith("ssd-monitor-daemonset.yaml:1:1: unknown field \"piVersion\"", StringComparison.Ordinal) && m.Contains("did you mean \"apiVersion\"", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("ssd-monitor-daemonset.yaml:2:1: unknown field \"cind\"", StringComparison.Ordinal) && m.Contains("did you mean \"kind\"", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("ssd-monitor-daemonset.yaml:3:", StringComparison.Ordinal) && m.Contains("netadata", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_UnknownNestedField_ReportsPathLineAndSuggestion()
    {
        const string text = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: x
            spec:
              selector:
                matchLabels: {app: x}
              template:
                metadata:
                  labels: {app: x}
                spec:
                  containers:
                  - name: main
                    imgae: busybox
            """;

        var result = ManifestReader.Read(text, "x.yaml");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(new SourcePosition(14, 9), problem.Position);
        Assert.Contains("spec.template.spec.containers[0]: unknown field \"imgae\" in Container (did you mean \"image\"?)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_YamlSyntaxError_ReportsLine()
    {
        var result = ManifestReader.Read("apiVersion: apps/v1\nkind: [DaemonSet\n", "bad.yaml");

        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("bad.yaml:", problem.ToString(), StringComparison.Ordinal);
        Assert.Contains("YAML syntax error", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownKind_SaysNoMatches()
    {
        var result = ManifestReader.Read("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n", "sa.yaml");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(2, problem.Position?.Line);
        Assert.Contains("no matches for kind \"ServiceAccount\" in version \"v1\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ContainerWithoutImage_NamesFieldAndContainerLine()
    {
        const string text = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: x
            spec:
              selector:
                matchLabels: {app: x}
              template:
                metadata:
                  labels: {app: x}
                spec:
                  containers:
                  - name: main
            """;

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.Equal(13, problem.Position?.Line);
        Assert.Equal("The DaemonSet \"x\" is invalid: spec.template.spec.containers[0].image: Required value", problem.Message);
    }

    [Fact]
    public void Read_EmptySelector_IsInvalid()
    {
        const string text = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: x
            spec:
              selector: {}
              template:
                metadata:
                  labels: {app: x}
                spec:
                  containers:
                  - {name: main, image: busybox}
            """;

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.Equal(6, problem.Position?.Line);
        Assert.Contains("spec.selector: Invalid value: \"{}\": empty selector is invalid for daemonset", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SelectorNotMatchingTemplate_IsInvalid()
    {
        const string text = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: x
            spec:
              selector:
                matchLabels: {app: y}
              template:
                metadata:
                  labels: {app: x}
                spec:
                  containers:
                  - {name: main, image: busybox}
            """;

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.Equal(10, problem.Position?.Line);
        Assert.Contains("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: `selector` does not match template `labels`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MultiDocumentAndJson_ReadsEveryObject()
    {
        const string text = """
            ---
            {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "a"}, "spec": {"selector": {"matchLabels": {"app": "a"}}, "template": {"metadata": {"labels": {"app": "a"}}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}}
            ---
            apiVersion: apps/v1
            kind: List
            items:
            - apiVersion: apps/v1
              kind: DaemonSet
              metadata: {name: b}
              spec:
                selector: {matchLabels: {app: b}}
                template:
                  metadata: {labels: {app: b}}
                  spec: {containers: [{name: c, image: busybox}]}
            ---
            """;

        var result = ManifestReader.Read(text, "x.yaml");

        Assert.Empty(result.Problems);
        Assert.Equal(["a", "b"], result.Objects.Select(o => o.Value.Metadata.Name));
    }

    [Fact]
    public void Read_WrongScalarType_ReportsExpectedType()
    {
        const string text = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: x
            spec:
              minReadySeconds: soon
            """;

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.Equal(new SourcePosition(6, 20), problem.Position);
        Assert.Equal("spec.minReadySeconds: expected an integer, got \"soon\"", problem.Message);
    }
}
