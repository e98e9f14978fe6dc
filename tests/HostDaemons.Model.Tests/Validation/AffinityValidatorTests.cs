using HostDaemons.Model.Validation;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Validation;

public sealed class AffinityValidatorTests
{
    private const string Required = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";

    private static string[] Validate(Affinity affinity)
    {
        var errors = new ValidationErrors();
        AffinityValidator.Validate(affinity, "spec.affinity", errors);
        return [.. errors.Select(e => e.ToString())];
    }

    private static Affinity NodeAffinity(params NodeSelectorRequirement[] expressions) => new()
    {
        NodeAffinity = new NodeAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector { NodeSelectorTerms = { new NodeSelectorTerm { MatchExpressions = { expressions } } } },
        },
    };

    private static Affinity FieldAffinity(params NodeSelectorRequirement[] fields) => new()
    {
        NodeAffinity = new NodeAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector { NodeSelectorTerms = { new NodeSelectorTerm { MatchFields = { fields } } } },
        },
    };

    private static NodeSelectorRequirement Requirement(string key, string @operator, params string[] values) => new() { Key = key, Operator = @operator, Values = { values } };

    [Theory]
    [InlineData("In", new[] { "a" })]
    [InlineData("NotIn", new[] { "a", "b" })]
    [InlineData("Exists", new string[0])]
    [InlineData("DoesNotExist", new string[0])]
    [InlineData("Gt", new[] { "4" })]
    [InlineData("Lt", new[] { "-4" })]
    public void Validate_ValidOperator_NoErrors(string @operator, string[] values)
    {
        Assert.Empty(Validate(NodeAffinity(Requirement("zone", @operator, values))));
    }

    [Theory]
    [InlineData("In", new string[0], "values: Required value: must be specified when `operator` is 'In' or 'NotIn'")]
    [InlineData("NotIn", new string[0], "values: Required value: must be specified when `operator` is 'In' or 'NotIn'")]
    [InlineData("Exists", new[] { "a" }, "values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'")]
    [InlineData("DoesNotExist", new[] { "a" }, "values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'")]
    [InlineData("Gt", new string[0], "values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'")]
    [InlineData("Lt", new[] { "1", "2" }, "values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'")]
    [InlineData("Gt", new[] { "four" }, "values[0]: Invalid value: \"four\": must be an integer when `operator` is 'Lt' or 'Gt'")]
    [InlineData("Equals", new[] { "a" }, "operator: Invalid value: \"Equals\": not a valid selector operator")]
    [InlineData("In", new[] { "not a label" }, "values[0]: Invalid value: \"not a label\": ")]
    public void Validate_BadExpression_KubernetesMessage(string @operator, string[] values, string expected)
    {
        var error = Assert.Single(Validate(NodeAffinity(Requirement("zone", @operator, values))));

        Assert.StartsWith($"{Required}[0].matchExpressions[0].{expected}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadKey_Invalid()
    {
        var error = Assert.Single(Validate(NodeAffinity(Requirement("bad key", "Exists"))));

        Assert.StartsWith($"{Required}[0].matchExpressions[0].key: Invalid value: \"bad key\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoTerms_Required()
    {
        var affinity = new Affinity { NodeAffinity = new NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector() } };

        Assert.Equal([$"{Required}: Required value: must have at least one node selector term"], Validate(affinity));
    }

    [Theory]
    [InlineData("metadata.name", "In", new[] { "n1" }, null)]
    [InlineData("metadata.name", "NotIn", new[] { "n1" }, null)]
    [InlineData("metadata.name", "In", new[] { "n1", "n2" }, "values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector")]
    [InlineData("metadata.name", "Exists", new string[0], "operator: Invalid value: \"Exists\": not a valid selector operator")]
    [InlineData("metadata.uid", "In", new[] { "x" }, "key: Invalid value: \"metadata.uid\": not a valid field selector key")]
    [InlineData("metadata.name", "In", new[] { "Not_A_Name" }, "values[0]: Invalid value: \"Not_A_Name\"")]
    public void Validate_MatchFields_OnlyMetadataNameInOrNotIn(string key, string @operator, string[] values, string? expected)
    {
        var errors = Validate(FieldAffinity(Requirement(key, @operator, values)));

        if (expected is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.StartsWith($"{Required}[0].matchFields[0].{expected}", Assert.Single(errors), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(0, false)]
    [InlineData(101, false)]
    [InlineData(-1, false)]
    public void Validate_PreferredWeight_From1To100(int weight, bool valid)
    {
        var affinity = new Affinity
        {
            NodeAffinity = new NodeAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                {
                    new PreferredSchedulingTerm { Weight = weight, Preference = new NodeSelectorTerm { MatchExpressions = { Requirement("zone", "In", "a") } } },
                },
            },
            PodAffinity = new PodAffinity { PreferredDuringSchedulingIgnoredDuringExecution = { Weighted(weight) } },
            PodAntiAffinity = new PodAntiAffinity { PreferredDuringSchedulingIgnoredDuringExecution = { Weighted(weight) } },
        };

        var errors = Validate(affinity);

        if (valid)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Equal(
                [
                    $"spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: {weight}: must be in the range 1-100",
                    $"spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: {weight}: must be in the range 1-100",
                    $"spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: {weight}: must be in the range 1-100",
                ], errors);
        }
    }

    [Fact]
    public void Validate_PodAffinityTerm_TopologyKeyRequiredNamespacesAndSelectorChecked()
    {
        var term = new PodAffinityTerm
        {
            LabelSelector = new LabelSelector { MatchExpressions = { new LabelSelectorRequirement { Key = "app", Operator = "Gt", Values = { "1" } } } },
            Namespaces = { "Bad_NS" },
        };
        var affinity = new Affinity { PodAntiAffinity = new PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = { term } } };

        var errors = Validate(affinity);

        const string path = "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]";
        Assert.Equal(3, errors.Length);
        Assert.StartsWith($"{path}.labelSelector.matchExpressions[0].operator: Unsupported value: \"Gt\"", errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"{path}.namespace: Invalid value: \"Bad_NS\"", errors[1], StringComparison.Ordinal);
        Assert.Equal($"{path}.topologyKey: Required value: can not be empty", errors[2]);
    }

    [Fact]
    public void Validate_PodAffinityTermWithoutSelector_Valid()
    {
        var affinity = new Affinity { PodAffinity = new PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = { new PodAffinityTerm { TopologyKey = "kubernetes.io/hostname" } } } };

        Assert.Empty(Validate(affinity));
    }

    private static WeightedPodAffinityTerm Weighted(int weight) => new()
    {
        Weight = weight,
        PodAffinityTerm = new PodAffinityTerm { LabelSelector = new LabelSelector { MatchLabels = { ["security"] = "S2" } }, TopologyKey = "kubernetes.io/hostname" },
    };
}
