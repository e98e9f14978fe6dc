using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.Model.Tests.Validation;

/// <summary>The kubelet's PreventStaticPodAPIReferences: a static pod (a Pod object) may not reference API objects.</summary>
public sealed class StaticPodValidatorTests
{
    private static string PodYaml(string containerExtra = "", string specExtra = "") =>
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: monitor\nspec:\n  containers:\n  - name: main\n    image: busybox\n"
        + (containerExtra.Length == 0 ? "" : $"    {containerExtra}\n")
        + (specExtra.Length == 0 ? "" : $"  {specExtra}\n");

    private static string[] Errors(string containerExtra = "", string specExtra = "") =>
        [.. ManifestReader.Read(PodYaml(containerExtra, specExtra), "pod.yaml").Problems.Select(p => p.Message)];

    private static string Refused(string path, string reference) =>
        $"The Pod \"monitor\" is invalid: {path}: Forbidden: pod \"monitor\" has forbidden references to API objects: {reference}";

    public static TheoryData<string, string, string> References => new()
    {
        { "", "serviceAccountName: monitor", Refused("spec.serviceAccountName", "ServiceAccount \"monitor\"") },
        { "", "serviceAccount: default", Refused("spec.serviceAccount", "ServiceAccount \"default\"") },
        { "", "imagePullSecrets: [{name: regcred}]", Refused("spec.imagePullSecrets[0]", "Secret \"regcred\"") },
        { "", "volumes: [{name: config, configMap: {name: cm}}]", Refused("spec.volumes[0].configMap", "ConfigMap volume \"config\"") },
        { "", "volumes: [{name: certs, secret: {secretName: tls}}]", Refused("spec.volumes[0].secret", "Secret volume \"certs\"") },
        { "", "volumes: [{name: all, projected: {sources: [{configMap: {name: cm}}]}}]", Refused("spec.volumes[0].projected.sources[0].configMap", "configMap projected volume \"all\"") },
        { "", "volumes: [{name: all, projected: {sources: [{secret: {name: s}}]}}]", Refused("spec.volumes[0].projected.sources[0].secret", "secret projected volume \"all\"") },
        { "env: [{name: K, valueFrom: {secretKeyRef: {name: s, key: k}}}]", "", Refused("spec.containers[0].env[0].valueFrom.secretKeyRef", "Secret \"s\"") },
        { "env: [{name: K, valueFrom: {configMapKeyRef: {name: cm, key: k}}}]", "", Refused("spec.containers[0].env[0].valueFrom.configMapKeyRef", "ConfigMap \"cm\"") },
        { "envFrom: [{configMapRef: {name: cm}}]", "", Refused("spec.containers[0].envFrom[0].configMapRef", "ConfigMap \"cm\"") },
        { "envFrom: [{secretRef: {name: s}}]", "", Refused("spec.containers[0].envFrom[0].secretRef", "Secret \"s\"") },
        { "", "initContainers: [{name: setup, image: busybox, envFrom: [{secretRef: {name: s}}]}]", Refused("spec.initContainers[0].envFrom[0].secretRef", "Secret \"s\"") },
    };

    [Theory]
    [MemberData(nameof(References))]
    public void Read_StaticPodReferencingApiObject_IsRefusedNamingTheReference(string container, string spec, string expected)
    {
        Assert.Equal([expected], Errors(container, spec));
    }

    [Fact]
    public void Read_StaticPodWithLocalVolumesAndDownwardApi_IsValid()
    {
        var errors = Errors(
            "env: [{name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]",
            "volumes: [{name: a, hostPath: {path: /var/log}}, {name: b, emptyDir: {}}, {name: c, downwardAPI: {items: [{path: l, fieldRef: {fieldPath: metadata.labels}}]}}, "
            + "{name: d, projected: {sources: [{downwardAPI: {items: [{path: n, fieldRef: {fieldPath: metadata.name}}]}}]}}]");

        Assert.Empty(errors);
    }

    [Fact]
    public void Read_StaticPod_GetsThePodOnlyDefaults()
    {
        var pod = Assert.IsType<Pod>(Assert.Single(ManifestReader.Read(PodYaml(), "pod.yaml").Objects).Value);

        Assert.True(pod.Spec.EnableServiceLinks);
        Assert.Equal("default-scheduler", pod.Spec.SchedulerName);
    }

    [Fact]
    public void Validate_DaemonSetTemplateWithTheSameReferences_IsValid()
    {
        var ds = TestObjects.DaemonSet();
        var spec = ds.Spec.Template.Spec;
        spec.ServiceAccountName = "monitor";
        spec.Volumes.Add(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "cm" } });
        spec.Containers[0].EnvFrom.Add(new EnvFromSource { SecretRef = new SecretEnvSource { Name = "s" } });
        ObjectValidator.ApplyDefaults(ds);

        Assert.Empty(ObjectValidator.Validate(ds));
    }
}
