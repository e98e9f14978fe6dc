namespace HostDaemons.Model.Tests.Validation;

/// <summary>Affinity as written in manifests: Kubernetes' field names decode, and errors name their line.</summary>
public sealed class AffinityYamlTests
{
    [Fact]
    public void Read_Seed004NodeAffinityAndPodAffinity_Decodes()
    {
        var spec = TemplateYaml.Spec(pod: """
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - key: kubernetes.io/e2e-az-name
                      operator: In
                      values:
                      - e2e-az1
                      - e2e-az2
                preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 1
                  preference:
                    matchExpressions:
                    - key: another-node-label-key
                      operator: In
                      values:
                      - another-node-label-value
              podAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector:
                    matchExpressions:
                    - key: security
                      operator: In
                      values:
                      - S1
                  topologyKey: kubernetes.io/hostname
              podAntiAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 100
                  podAffinityTerm:
                    labelSelector:
                      matchLabels:
                        security: S2
                    namespaces: [default]
                    topologyKey: kubernetes.io/hostname
            """);

        var node = spec.Affinity.NodeAffinity;
        Assert.Equal(["e2e-az1", "e2e-az2"], node.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0].Values);
        Assert.Equal(1, node.PreferredDuringSchedulingIgnoredDuringExecution[0].Weight);
        Assert.Equal("kubernetes.io/hostname", spec.Affinity.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution[0].TopologyKey);
        Assert.Equal(100, spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution[0].Weight);
    }

    [Fact]
    public void Read_WeightOutOfRange_ErrorAtItsLine()
    {
        var problems = TemplateYaml.Problems(pod: """
            affinity:
              nodeAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 0
                  preference:
                    matchExpressions:
                    - {key: zone, operator: In, values: [a]}
            """);

        var problem = Assert.Single(problems);
        Assert.Contains("spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100", problem, StringComparison.Ordinal);
        Assert.StartsWith($"{TemplateYaml.FileName}:{TemplateYaml.FirstLine + 3}:", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnsupportedAffinityField_RefusedByName()
    {
        var problems = TemplateYaml.Problems(pod: """
            affinity:
              podAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                - topologyKey: zone
                  namespaceSelector: {}
            """);

        Assert.Contains("namespaceSelector", Assert.Single(problems), StringComparison.Ordinal);
    }
}
