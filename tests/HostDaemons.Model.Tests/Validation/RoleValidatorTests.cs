namespace HostDaemons.Model.Tests.Validation;

public sealed class RoleValidatorTests
{
    private static string Role(string kind, string rules, string name = "reader") =>
        $"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: \"{name}\"\n{rules}";

    [Theory]
    [InlineData("Role")]
    [InlineData("ClusterRole")]
    public void Validate_ResourceRules_Valid(string kind)
    {
        Assert.Empty(KindYaml.Errors(Role(kind, "rules:\n- apiGroups: [\"\"]\n  resources: [pods, namespaces]\n  verbs: [get, list, watch]\n", "system:reader")));
    }

    [Fact]
    public void Validate_ClusterRoleWithUrlsAndAggregation_Valid()
    {
        var yaml = Role("ClusterRole", "rules:\n- nonResourceURLs: [/metrics]\n  verbs: [get]\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels:\n      rbac.example.com/aggregate-to-monitoring: \"true\"\n");

        Assert.Empty(KindYaml.Errors(yaml));
    }

    [Theory]
    [InlineData("Role", "rules:\n- apiGroups: [\"\"]\n  resources: [pods]\n", "rules[0].verbs: Required value: verbs must contain at least one value")]
    [InlineData("Role", "rules:\n- resources: [pods]\n  verbs: [get]\n", "rules[0].apiGroups: Required value: resource rules must supply at least one api group")]
    [InlineData("ClusterRole", "rules:\n- apiGroups: [\"\"]\n  verbs: [get]\n", "rules[0].resources: Required value: resource rules must supply at least one resource")]
    [InlineData("Role", "rules:\n- nonResourceURLs: [/metrics]\n  verbs: [get]\n",
        "rules[0].nonResourceURLs: Invalid value: []string{\"/metrics\"}: namespaced rules cannot apply to non-resource URLs")]
    [InlineData("ClusterRole", "rules:\n- nonResourceURLs: [/metrics]\n  resources: [pods]\n  verbs: [get]\n",
        "rules[0].nonResourceURLs: Invalid value: []string{\"/metrics\"}: rules cannot apply to both regular resources and non-resource URLs")]
    [InlineData("ClusterRole", "aggregationRule: {clusterRoleSelectors: []}\n",
        "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil")]
    public void Validate_BadRule_KubernetesMessage(string kind, string rules, string expected)
    {
        Assert.Equal(expected, Assert.Single(KindYaml.Errors(Role(kind, rules))));
    }

    [Theory]
    [InlineData("a/b", "metadata.name: Invalid value: \"a/b\": may not contain '/'")]
    [InlineData("..", "metadata.name: Invalid value: \"..\": may not be '..'")]
    [InlineData("50%", "metadata.name: Invalid value: \"50%\": may not contain '%'")]
    public void Validate_NameNotAPathSegment_Invalid(string name, string expected)
    {
        Assert.Equal(expected, Assert.Single(KindYaml.Errors(Role("ClusterRole", "", name))));
    }
}
