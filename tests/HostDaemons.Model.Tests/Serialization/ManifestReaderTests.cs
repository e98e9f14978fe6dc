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
    public void Read_SeedRbacV1beta1_ReadAsV1WithKubectlsDeprecationWarning()
    {
        var result = ManifestReader.Read(Example("fluentd/fluentd-rbac.yaml"), "fluentd-rbac.yaml");

        Assert.Empty(result.Problems);
        Assert.Equal(2, result.Objects.Count);
        Assert.Empty(result.Objects[0].Warnings);
        var binding = result.Objects[1];
        Assert.Equal(ResourceKind.ClusterRoleBinding, binding.Kind.Kind);
        Assert.Equal("rbac.authorization.k8s.io/v1", ((ClusterRoleBinding)binding.Value).ApiVersion);
        Assert.Equal("rbac.authorization.k8s.io/v1", ((ClusterRoleBinding)binding.AsWritten).ApiVersion);
        Assert.Equal(
            ["rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 ClusterRoleBinding"],
            binding.Warnings);
    }

    [Theory]
    [InlineData("Role")]
    [InlineData("ClusterRole")]
    [InlineData("RoleBinding")]
    public void Read_OtherRbacKindsInV1beta1_WarnWithTheirKind(string kind)
    {
        var yaml = $"apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: {kind}\nmetadata:\n  name: x\n"
            + (kind.EndsWith("Binding", StringComparison.Ordinal) ? "roleRef:\n  kind: ClusterRole\n  name: view\n" : "");

        var result = ManifestReader.Read(yaml, "rbac.yaml");

        Assert.Empty(result.Problems);
        Assert.Equal($"rbac.authorization.k8s.io/v1beta1 {kind} is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 {kind}",
            Assert.Single(Assert.Single(result.Objects).Warnings));
    }

    [Theory]
    [InlineData("apps/v1beta1", "DaemonSet")]
    [InlineData("rbac.authorization.k8s.io/v1alpha1", "ClusterRole")]
    [InlineData("rbac.authorization.k8s.io/v1beta1", "ConfigMap")]
    public void Read_OlderVersionNotServed_NoMatches(string apiVersion, string kind)
    {
        var result = ManifestReader.Read($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: x\n", "old.yaml");

        Assert.Contains($"no matches for kind \"{kind}\" in version \"{apiVersion}\"", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownKind_SaysNoMatches()
    {
        var result = ManifestReader.Read("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n", "ing.yaml");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(2, problem.Position?.Line);
        Assert.Contains("no matches for kind \"Ingress\" in version \"networking.k8s.io/v1\"", problem.Message, StringComparison.Ordinal);
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

    [Fact]
    public void Read_ValidDaemonSet_RecordsSourceStartLineAndKind()
    {
        var result = ManifestReader.Read("# comment\n" + TestObjects.DaemonSetYaml(), "x.yaml");

        Assert.True(result.Succeeded);
        var item = Assert.Single(result.Objects);
        Assert.Equal("x.yaml", item.Source);
        Assert.Equal(ResourceKind.DaemonSet, item.Kind.Kind);
        Assert.Equal("daemonsets", item.Kind.Plural);
        Assert.Equal(new SourcePosition(5, 3), item.Positions.Find("metadata.name"));
    }

    [Fact]
    public void Read_RestartPolicyNever_ReportsTheRestartPolicyLine()
    {
        var text = TestObjects.DaemonSetYaml(containerExtra: "      restartPolicy: Never\n");

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.Equal(17, problem.Position?.Line);
        Assert.Equal("x.yaml:17:7: The DaemonSet \"x\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"", problem.ToString());
    }

    [Fact]
    public void Read_MaxSurgeWithDefaultMaxUnavailable_ReportsTheMaxSurgeLine()
    {
        var text = TestObjects.DaemonSetYaml(specExtra: "  updateStrategy:\n    rollingUpdate:\n      maxSurge: 1\n");

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.Equal(new SourcePosition(19, 7), problem.Position);
        Assert.Equal("The DaemonSet \"x\" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero", problem.Message);
    }

    [Fact]
    public void Read_MaxUnavailableZeroWithoutSurge_ReportsTheMaxUnavailableLine()
    {
        var text = TestObjects.DaemonSetYaml(specExtra: "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 0\n");

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.Equal(20, problem.Position?.Line);
        Assert.Contains("spec.updateStrategy.rollingUpdate.maxUnavailable: ", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("cannot be 0 when maxSurge is 0", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NegativeMinReadySeconds_ReportsItsLine()
    {
        var text = TestObjects.DaemonSetYaml(specExtra: "  minReadySeconds: -1\n");

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.Equal("x.yaml:17:3: The DaemonSet \"x\" is invalid: spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0", problem.ToString());
    }

    [Fact]
    public void Read_PercentOverOneHundred_IsInvalid()
    {
        var text = TestObjects.DaemonSetYaml(specExtra: "  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 110%\n");

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.Equal(19, problem.Position?.Line);
        Assert.EndsWith("spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"110%\": must not be greater than 100%", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SeveralValidationErrors_OneProblemEachInLineOrder()
    {
        var text = TestObjects.DaemonSetYaml(containerExtra: "        imagePullPolicy: Sometimes\n", specExtra: "  minReadySeconds: -1\n");

        var problems = ManifestReader.Read(text, "x.yaml").Problems;

        Assert.Equal(2, problems.Count);
        Assert.Equal([17, 18], problems.Select(p => p.Position?.Line));
        Assert.Contains("spec.template.spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("spec.minReadySeconds", problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidQuantity_ReportsTheResourceLine()
    {
        var text = TestObjects.DaemonSetYaml(containerExtra: "        resources:\n          limits:\n            cpu: abc\n");

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems, p => p.Message.Contains("limits[cpu]", StringComparison.Ordinal));

        Assert.Equal(new SourcePosition(19, 13), problem.Position);
        Assert.EndsWith("spec.template.spec.containers[0].resources.limits[cpu]: Invalid value: \"abc\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidLimitWithoutRequest_IsReportedOnce()
    {
        var text = TestObjects.DaemonSetYaml(containerExtra: "        resources:\n          limits:\n            cpu: abc\n");

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.Equal(19, problem.Position?.Line);
    }

    [Fact]
    public void Read_RequestAboveLimit_IsInvalid()
    {
        var text = TestObjects.DaemonSetYaml(containerExtra: "        resources:\n          limits: {memory: 64Mi}\n          requests: {memory: 1Gi}\n");

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.EndsWith("spec.template.spec.containers[0].resources.requests: Invalid value: \"1Gi\": must be less than or equal to memory limit of 64Mi", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LimitsOnly_RequestsDefaultToLimits()
    {
        var text = TestObjects.DaemonSetYaml(containerExtra: "        resources:\n          limits: {cpu: 100m, memory: 64Mi}\n");

        var ds = Assert.IsType<DaemonSet>(Assert.Single(ManifestReader.Read(text, "x.yaml").Objects).Value);

        Assert.Equal("100m", ds.Spec.Template.Spec.Containers[0].Resources.Requests["cpu"]);
        Assert.Equal("64Mi", ds.Spec.Template.Spec.Containers[0].Resources.Requests["memory"]);
    }

    [Fact]
    public void Read_DefaultsApplied_AsKubernetesDefaultsThem()
    {
        var ds = Assert.IsType<DaemonSet>(Assert.Single(ManifestReader.Read(TestObjects.DaemonSetYaml(), "x.yaml").Objects).Value);

        Assert.Equal("default", ds.Metadata.Namespace);
        Assert.Equal("RollingUpdate", ds.Spec.UpdateStrategy.Type);
        Assert.Equal(1, ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.IntValue);
        Assert.Equal(IntOrString.ValueOneofCase.IntValue, ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge.ValueCase);
        Assert.Equal(0, ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge.IntValue);
        Assert.Equal(10, ds.Spec.RevisionHistoryLimit);
        Assert.Equal(30, ds.Spec.Template.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("Always", ds.Spec.Template.Spec.RestartPolicy);
        Assert.Equal("IfNotPresent", ds.Spec.Template.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public void Read_WithoutValidation_KeepsObjectAsWritten()
    {
        var text = TestObjects.DaemonSetYaml(containerExtra: "      restartPolicy: Never\n");

        var result = ManifestReader.Read(text, "x.yaml", validate: false);

        Assert.Empty(result.Problems);
        var ds = Assert.IsType<DaemonSet>(Assert.Single(result.Objects).Value);
        Assert.Equal("Never", ds.Spec.Template.Spec.RestartPolicy);
        Assert.Equal("", ds.Metadata.Namespace);
        Assert.Null(ds.Spec.UpdateStrategy);
    }

    [Fact]
    public void Read_MissingApiVersionAndKind_SaysWhatIsNotSet()
    {
        var problem = Assert.Single(ManifestReader.Read("metadata:\n  name: x\n", "x.yaml").Problems);

        Assert.Equal("x.yaml:1:1: error validating data: [apiVersion not set, kind not set]", problem.ToString());
    }

    [Fact]
    public void Read_MissingKindOnly_SaysKindNotSet()
    {
        var problem = Assert.Single(ManifestReader.Read("apiVersion: v1\nmetadata:\n  name: x\n", "x.yaml").Problems);

        Assert.Equal("error validating data: [kind not set]", problem.Message);
    }

    [Fact]
    public void Read_WrongApiVersionForKind_SaysNoMatches()
    {
        var text = TestObjects.DaemonSetYaml().Replace("apps/v1", "extensions/v1beta1", StringComparison.Ordinal);

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.Equal(2, problem.Position?.Line);
        Assert.StartsWith("no matches for kind \"DaemonSet\" in version \"extensions/v1beta1\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_KindInWrongCase_SaysNoMatches()
    {
        var text = TestObjects.DaemonSetYaml().Replace("kind: DaemonSet", "kind: daemonset", StringComparison.Ordinal);

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.StartsWith("no matches for kind \"daemonset\" in version \"apps/v1\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ScalarDocument_IsNotAnObject()
    {
        var problem = Assert.Single(ManifestReader.Read("hello\n", "x.yaml").Problems);

        Assert.Equal("expected an object with apiVersion and kind, got \"hello\"", problem.Message);
    }

    [Fact]
    public void Read_EmptyAndCommentOnlyDocuments_AreSkipped()
    {
        var result = ManifestReader.Read("# nothing\n---\n---\n" + TestObjects.DaemonSetYaml() + "---\n# trailing\n", "x.yaml");

        Assert.Empty(result.Problems);
        Assert.Single(result.Objects);
    }

    [Fact]
    public void Read_EmptyText_NoObjectsNoProblems()
    {
        var result = ManifestReader.Read("", "x.yaml");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Objects);
    }

    [Fact]
    public void Read_PodAndNode_AreDefaultedAndValidated()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              containers:
              - {name: main, image: busybox}
            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: node-1
              labels: {disk: ssd}
            """;

        var result = ManifestReader.Read(text, "x.yaml");

        Assert.Empty(result.Problems);
        var pod = Assert.IsType<Pod>(result.Objects[0].Value);
        Assert.Equal("default", pod.Metadata.Namespace);
        Assert.Equal("IfNotPresent", pod.Spec.Containers[0].ImagePullPolicy);
        var node = Assert.IsType<Node>(result.Objects[1].Value);
        Assert.Equal("ssd", node.Metadata.Labels["disk"]);
        Assert.Equal(8, result.Objects[1].StartLine);
    }

    [Theory]
    [InlineData("v1", "Node")]
    [InlineData("rbac.authorization.k8s.io/v1", "ClusterRole")]
    public void Read_ClusterScopedWithNamespace_NamespaceDropped(string apiVersion, string kind)
    {
        // As the API server does: upstream manifests write a namespace on cluster-scoped objects (local-static-provisioner's bindings).
        var result = ManifestReader.Read($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: n\n  namespace: default\n", "x.yaml");

        Assert.Empty(result.Problems);
        Assert.Equal("", Assert.Single(result.Objects).Value.Metadata.Namespace);
    }

    [Fact]
    public void Read_ProblemsInSeveralDocuments_AllReportedAndNoObjectKeptFromBadOnes()
    {
        var good = TestObjects.DaemonSetYaml();
        var bad = TestObjects.DaemonSetYaml().Replace("image: busybox", "imgae: busybox", StringComparison.Ordinal);

        var result = ManifestReader.Read(good + "---\n" + bad, "x.yaml");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(33, problem.Position?.Line);
        Assert.Single(result.Objects);
    }

    [Fact]
    public void Read_ListWithBadItem_ReportsItemLine()
    {
        const string text = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: apps/v1
              kind: DaemonSet
              metadata: {name: a}
              spec:
                selector: {matchLabels: {app: a}}
                template:
                  metadata: {labels: {app: a}}
                  spec:
                    containers: [{name: c}]
            """;

        var problem = Assert.Single(ManifestReader.Read(text, "x.yaml").Problems);

        Assert.Equal(12, problem.Position?.Line);
        Assert.EndsWith("spec.template.spec.containers[0].image: Required value", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DocumentCutBySyntaxError_IsNotApplied()
    {
        var text = TestObjects.DaemonSetYaml() + "  minReadySeconds: [\n";

        var result = ManifestReader.Read(text, "x.yaml");

        Assert.Empty(result.Objects);
        Assert.Contains(result.Problems, p => p.Message.StartsWith("YAML syntax error", StringComparison.Ordinal));
    }

    [Fact]
    public void ManifestProblem_WithoutPosition_PrintsSourceOnly()
    {
        Assert.Equal("x.yaml: oops", new ManifestProblem("x.yaml", null, "oops").ToString());
        Assert.Equal("x.yaml:3:4: oops", new ManifestProblem("x.yaml", new SourcePosition(3, 4), "oops").ToString());
    }
}
