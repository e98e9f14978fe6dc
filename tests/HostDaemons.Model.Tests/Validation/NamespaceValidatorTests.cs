using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.Model.Tests.Validation;

public sealed class NamespaceValidatorTests
{
    private static Namespace Namespace(string name) => new() { Metadata = new ObjectMeta { Name = name } };

    private static string[] Validate(Namespace value)
    {
        ObjectValidator.ApplyDefaults(value);
        return [.. ObjectValidator.Validate(value).Select(e => e.ToString())];
    }

    [Fact]
    public void ApplyDefaults_BareNamespace_GetsKindNameLabelKubernetesFinalizerAndActive()
    {
        var ns = Namespace("team-a");

        ObjectValidator.ApplyDefaults(ns);

        Assert.Equal(("v1", "Namespace"), (ns.ApiVersion, ns.Kind));
        Assert.Equal("team-a", ns.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
        Assert.Equal("Active", ns.Status.Phase);
    }

    [Fact]
    public void ApplyDefaults_Twice_AddsTheFinalizerOnce()
    {
        var ns = Namespace("team-a");

        ObjectValidator.ApplyDefaults(ns);
        ObjectValidator.ApplyDefaults(ns);

        Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
    }

    [Fact]
    public void ApplyDefaults_NameLabelSetByHand_IsTheNameAgain()
    {
        var ns = Namespace("team-a");
        ns.Metadata.Labels["kubernetes.io/metadata.name"] = "other";

        ObjectValidator.ApplyDefaults(ns);

        Assert.Equal("team-a", ns.Metadata.Labels["kubernetes.io/metadata.name"]);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("a")]
    [InlineData("123-abc")]
    public void Validate_DnsLabelName_Valid(string name)
    {
        Assert.Empty(Validate(Namespace(name)));
    }

    [Theory]
    [InlineData("Team-A")]
    [InlineData("a.b")]
    [InlineData("a_b")]
    public void Validate_NameNotADnsLabel_KubernetesMessage(string name)
    {
        Assert.Equal(
            [$"metadata.name: Invalid value: \"{name}\": {NameValidation.Dns1123LabelMessage}"],
            Validate(Namespace(name)));
    }

    [Fact]
    public void Validate_NameNotEvenALabelValue_NameAndItsDefaultedLabelBothInvalid()
    {
        // As in Kubernetes, which defaults the kubernetes.io/metadata.name label before it validates.
        Assert.Equal(
            [$"metadata.name: Invalid value: \"-a\": {NameValidation.Dns1123LabelMessage}", $"metadata.labels: Invalid value: \"-a\": {NameValidation.LabelValueMessage}"],
            Validate(Namespace("-a")));
    }

    [Fact]
    public void Validate_NameOver63Characters_TooLong()
    {
        var name = new string('a', 64);

        Assert.Contains($"metadata.name: Invalid value: \"{name}\": must be no more than 63 characters", Validate(Namespace(name)));
    }

    [Fact]
    public void Validate_NoName_Required()
    {
        Assert.Equal(["metadata.name: Required value: name or generateName is required"], Validate(new Namespace()));
    }

    [Fact]
    public void Validate_MetadataNamespace_DroppedByDefaultsElseForbidden()
    {
        var ns = Namespace("team-a");
        ns.Metadata.Namespace = "default";

        Assert.Empty(Validate(ns));
        Assert.Equal("", ns.Metadata.Namespace);
        ns.Metadata.Namespace = "default";
        Assert.Equal(["metadata.namespace: Forbidden: not allowed on this type"], ObjectValidator.Validate(ns).Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_OtherFinalizer_NotSupported()
    {
        var ns = Namespace("team-a");
        ns.Spec = new NamespaceSpec { Finalizers = { "example.com/keep" } };

        Assert.Equal(["spec.finalizers[0]: Unsupported value: \"example.com/keep\": supported values: \"kubernetes\""], Validate(ns));
    }

    [Fact]
    public void Validate_OtherKindsStillTakeSubdomainNames()
    {
        var ds = TestObjects.DaemonSet("a.b");
        ObjectValidator.ApplyDefaults(ds);

        Assert.DoesNotContain(ObjectValidator.Validate(ds), e => e.Path == "metadata.name");
    }

    [Fact]
    public void Read_NamespaceManifest_DecodesWithDefaults()
    {
        const string text = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: monitoring
              labels: {team: infra}
            """;

        var result = ManifestReader.Read(text, "ns.yaml");

        Assert.Empty(result.Problems);
        var read = Assert.Single(result.Objects);
        var ns = Assert.IsType<Namespace>(read.Value);
        Assert.Same(ResourceKinds.Namespace, read.Kind);
        Assert.Equal("monitoring", ns.Metadata.Name);
        Assert.Equal("", ns.Metadata.Namespace);
        Assert.Equal("infra", ns.Metadata.Labels["team"]);
        Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
    }

    [Fact]
    public void Read_NamespaceWithBadName_ErrorAtItsLine()
    {
        const string text = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: Monitoring
            """;

        var result = ManifestReader.Read(text, "ns.yaml");

        Assert.Empty(result.Objects);
        var problem = Assert.Single(result.Problems).ToString();
        Assert.StartsWith("ns.yaml:4:", problem, StringComparison.Ordinal);
        Assert.Contains("The Namespace \"Monitoring\" is invalid: metadata.name: Invalid value: \"Monitoring\": a lowercase RFC 1123 label", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownSpecField_Refused()
    {
        const string text = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: monitoring
            spec:
              finalizer: [kubernetes]
            """;

        var result = ManifestReader.Read(text, "ns.yaml");

        Assert.Empty(result.Objects);
        Assert.Contains("unknown field \"finalizer\"", Assert.Single(result.Problems).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PodSecurityLabels_LevelAndVersionChecked()
    {
        var ns = Namespace("team");
        ns.Metadata.Labels["pod-security.kubernetes.io/enforce"] = "bogus";
        ns.Metadata.Labels["pod-security.kubernetes.io/warn"] = "baseline";
        ns.Metadata.Labels["pod-security.kubernetes.io/warn-version"] = "v1.30";

        Assert.Equal(["metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"bogus\": must be one of privileged, baseline, restricted"], Validate(ns));
    }
}
