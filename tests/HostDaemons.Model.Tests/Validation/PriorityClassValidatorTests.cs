using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Validation;

public sealed class PriorityClassValidatorTests
{
    private static string PriorityClass(string name, string body) => $"apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: {name}\n{body}";

    [Fact]
    public void ApplyDefaults_NoPolicy_PreemptLowerPriority()
    {
        Assert.Equal("PreemptLowerPriority", KindYaml.Defaulted<PriorityClass>(PriorityClass("high", "value: 1000\n")).PreemptionPolicy);
    }

    [Theory]
    [InlineData("high", "value: 1000000000\npreemptionPolicy: Never\nglobalDefault: true\n")]
    [InlineData("system-node-critical", "value: 2000001000\n")]
    [InlineData("system-cluster-critical", "value: 2000000000\n")]
    public void Validate_UserAndBuiltInClasses_Valid(string name, string body)
    {
        Assert.Empty(KindYaml.Errors(PriorityClass(name, body)));
    }

    [Theory]
    [InlineData("high", "value: 1000000001\n", "value: Forbidden: maximum allowed value of a user defined priority is 1000000000")]
    [InlineData("system-foo", "value: 5\n",
        "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-foo is not a known system priority class")]
    [InlineData("system-node-critical", "value: 5\n",
        "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000")]
    [InlineData("system-cluster-critical", "value: 2000000000\nglobalDefault: true\n",
        "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: globalDefault of system-cluster-critical PriorityClass must be false")]
    [InlineData("high", "value: 1\npreemptionPolicy: Always\n", "preemptionPolicy: Unsupported value: \"Always\": supported values: \"PreemptLowerPriority\", \"Never\"")]
    public void Validate_BadClass_KubernetesMessage(string name, string body, string expected)
    {
        Assert.Equal(expected, Assert.Single(KindYaml.Errors(PriorityClass(name, body))));
    }

    [Fact]
    public void ValidateUpdate_ValueAndPolicyChanged_Refused()
    {
        var errors = KindYaml.UpdateErrors(PriorityClass("high", "value: 1\n"), PriorityClass("high", "value: 2\npreemptionPolicy: Never\n"));

        Assert.Equal(["value: Forbidden: may not be changed in an update.", "preemptionPolicy: Invalid value: \"Never\": field is immutable"], errors);
    }

    [Fact]
    public void ValidateUpdate_DescriptionAndGlobalDefault_MayChange()
    {
        Assert.Empty(KindYaml.UpdateErrors(PriorityClass("high", "value: 1\n"), PriorityClass("high", "value: 1\nglobalDefault: true\ndescription: now the default\n")));
    }
}
