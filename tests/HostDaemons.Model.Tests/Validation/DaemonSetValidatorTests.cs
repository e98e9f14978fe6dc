using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.Model.Tests.Validation;

public sealed class DaemonSetValidatorTests
{
    private static string[] Validate(DaemonSet ds)
    {
        ObjectDefaults.Apply(ds);
        return DaemonSetValidator.Validate(ds).Select(e => e.ToString()).ToArray();
    }

    private static DaemonSet WithRollingUpdate(IntOrString? maxUnavailable, IntOrString? maxSurge)
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.UpdateStrategy = new DaemonSetUpdateStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new RollingUpdateDaemonSet { MaxUnavailable = maxUnavailable, MaxSurge = maxSurge },
        };
        return ds;
    }

    private static IntOrString Int(int value) => new() { IntValue = value };

    private static IntOrString Percent(string value) => new() { StringValue = value };

    [Fact]
    public void Validate_ValidDaemonSetAfterDefaults_HasNoErrors()
    {
        Assert.Empty(Validate(TestObjects.DaemonSet()));
    }

    [Theory]
    [InlineData("Never")]
    [InlineData("OnFailure")]
    public void Validate_RestartPolicyOtherThanAlways_IsUnsupported(string policy)
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.Template.Spec.RestartPolicy = policy;

        var error = Assert.Single(Validate(ds));

        Assert.Equal($"spec.template.spec.restartPolicy: Unsupported value: \"{policy}\": supported values: \"Always\"", error);
    }

    [Fact]
    public void Validate_BothMaxUnavailableAndMaxSurgeZero_NamesMaxUnavailable()
    {
        var error = Assert.Single(Validate(WithRollingUpdate(Int(0), Int(0))));

        Assert.StartsWith("spec.updateStrategy.rollingUpdate.maxUnavailable: ", error, StringComparison.Ordinal);
        Assert.EndsWith(": cannot be 0 when maxSurge is 0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BothMaxUnavailableAndMaxSurgeZero_IsWordedAsKubernetesRequiredValue()
    {
        var error = Assert.Single(Validate(WithRollingUpdate(Int(0), Int(0))));

        Assert.Equal("spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0", error);
    }

    [Fact]
    public void Validate_BothZeroPercent_CannotBeZero()
    {
        var error = Assert.Single(Validate(WithRollingUpdate(Percent("0%"), Percent("0%"))));

        Assert.Contains("cannot be 0 when maxSurge is 0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BothNonZero_MaxSurgeMayNotBeSet()
    {
        var error = Assert.Single(Validate(WithRollingUpdate(Int(1), Int(1))));

        Assert.Equal("spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero", error);
    }

    [Fact]
    public void Validate_OnlyMaxSurgeSetSoMaxUnavailableDefaultsToOne_MaxSurgeMayNotBeSet()
    {
        var error = Assert.Single(Validate(WithRollingUpdate(null, Percent("20%"))));

        Assert.Equal("spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: \"20%\": may not be set when maxUnavailable is non-zero", error);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(3, 0)]
    public void Validate_ExactlyOneNonZero_IsValid(int maxUnavailable, int maxSurge)
    {
        Assert.Empty(Validate(WithRollingUpdate(Int(maxUnavailable), Int(maxSurge))));
    }

    [Theory]
    [InlineData("100%", "0%")]
    [InlineData("0%", "100%")]
    [InlineData("25%", "0")]
    public void Validate_PercentagesUpToOneHundred_AreValid(string maxUnavailable, string maxSurge)
    {
        var surge = int.TryParse(maxSurge, out var n) ? Int(n) : Percent(maxSurge);

        Assert.Empty(Validate(WithRollingUpdate(Percent(maxUnavailable), surge)));
    }

    [Fact]
    public void Validate_MaxUnavailableOverOneHundredPercent_IsInvalid()
    {
        var error = Assert.Single(Validate(WithRollingUpdate(Percent("101%"), Int(0))));

        Assert.Equal("spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"101%\": must not be greater than 100%", error);
    }

    [Fact]
    public void Validate_MaxSurgeOverOneHundredPercent_IsInvalid()
    {
        var error = Assert.Single(Validate(WithRollingUpdate(Int(0), Percent("150%"))));

        Assert.Equal("spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: \"150%\": must not be greater than 100%", error);
    }

    [Theory]
    [InlineData("ten%")]
    [InlineData("10")]
    [InlineData("-5%")]
    [InlineData("5.5%")]
    public void Validate_MalformedPercent_UsesKubernetesRegexMessage(string value)
    {
        var error = Assert.Single(Validate(WithRollingUpdate(Percent(value), Int(0))));

        Assert.Equal($"spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"{value}\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')", error);
    }

    [Fact]
    public void Validate_NegativeMaxUnavailable_MustBeNonNegative()
    {
        var error = Assert.Single(Validate(WithRollingUpdate(Int(-1), Int(0))));

        Assert.Equal("spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0", error);
    }

    [Fact]
    public void Validate_NegativeMinReadySeconds_MustBeNonNegative()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.MinReadySeconds = -5;

        var error = Assert.Single(Validate(ds));

        Assert.Equal("spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0", error);
    }

    [Fact]
    public void Validate_ZeroMinReadySecondsAndRevisionHistoryLimit_AreValid()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.MinReadySeconds = 0;
        ds.Spec.RevisionHistoryLimit = 0;

        Assert.Empty(Validate(ds));
    }

    [Fact]
    public void Validate_NegativeRevisionHistoryLimit_MustBeNonNegative()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.RevisionHistoryLimit = -1;

        var error = Assert.Single(Validate(ds));

        Assert.Equal("spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0", error);
    }

    [Fact]
    public void Validate_UnknownStrategyType_ListsSupportedValues()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.UpdateStrategy = new DaemonSetUpdateStrategy { Type = "Recreate" };

        var error = Assert.Single(Validate(ds));

        Assert.Contains("Unsupported value: \"Recreate\": supported values: \"OnDelete\", \"RollingUpdate\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OnDeleteWithoutRollingUpdate_IsValid()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.UpdateStrategy = new DaemonSetUpdateStrategy { Type = "OnDelete" };

        Assert.Empty(Validate(ds));
        Assert.Null(ds.Spec.UpdateStrategy.RollingUpdate);
    }

    [Fact]
    public void Validate_OnDeleteWithRollingUpdate_IsAcceptedAsKubernetesAcceptsIt()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.UpdateStrategy = new DaemonSetUpdateStrategy { Type = "OnDelete", RollingUpdate = new RollingUpdateDaemonSet { MaxUnavailable = Int(1) } };

        Assert.Empty(Validate(ds));
    }

    [Fact]
    public void Validate_EmptySelector_IsInvalidForDaemonSet()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.Selector = new LabelSelector();

        var error = Assert.Single(Validate(ds));

        Assert.Equal("spec.selector: Invalid value: \"{}\": empty selector is invalid for daemonset", error);
    }

    [Fact]
    public void Validate_MissingSelector_IsRequired()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.Selector = null;

        Assert.Contains("spec.selector: Required value", Validate(ds));
    }

    [Fact]
    public void Validate_SelectorNotMatchingTemplate_PrintsLabelsAsGoMap()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.Template.Metadata.Labels["tier"] = "b";
        ds.Spec.Selector.MatchLabels["app"] = "other";

        var error = Assert.Single(Validate(ds));

        Assert.Equal("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\", \"tier\":\"b\"}: `selector` does not match template `labels`", error);
    }

    [Fact]
    public void Validate_SelectorExpressionMatchingTemplate_IsValid()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.Selector.MatchExpressions.Add(new LabelSelectorRequirement { Key = "app", Operator = "In", Values = { "x", "y" } });

        Assert.Empty(Validate(ds));
    }

    [Fact]
    public void Validate_InOperatorWithoutValues_IsRequired()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.Selector.MatchExpressions.Add(new LabelSelectorRequirement { Key = "app", Operator = "In" });

        Assert.Contains("spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'", Validate(ds));
    }

    [Fact]
    public void Validate_ActiveDeadlineSeconds_IsForbidden()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.Template.Spec.ActiveDeadlineSeconds = 30;

        Assert.Equal(["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported"], Validate(ds));
    }

    [Fact]
    public void Validate_StaticPodWithActiveDeadlineSeconds_IsForbidden()
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = "default" },
            Spec = TestObjects.DaemonSet().Spec.Template.Spec.Clone(),
        };
        pod.Spec.ActiveDeadlineSeconds = 30;
        ObjectDefaults.Apply(pod.Spec);

        Assert.Contains(ObjectValidator.Validate(pod), e => e.ToString().StartsWith("spec.activeDeadlineSeconds: Forbidden: not supported for static pods", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ExistsWithValues_IsForbidden()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.Selector.MatchExpressions.Add(new LabelSelectorRequirement { Key = "app", Operator = "Exists", Values = { "x" } });

        Assert.Contains("spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'", Validate(ds));
    }

    [Fact]
    public void Validate_UnknownSelectorOperator_IsUnsupported()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.Selector.MatchExpressions.Add(new LabelSelectorRequirement { Key = "app", Operator = "Equals", Values = { "x" } });

        Assert.Contains("spec.selector.matchExpressions[0].operator: Unsupported value: \"Equals\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\"", Validate(ds));
    }

    [Fact]
    public void Validate_InvalidName_UsesDns1123SubdomainMessage()
    {
        var ds = TestObjects.DaemonSet();
        ds.Metadata.Name = "Bad_Name";

        var error = Assert.Single(Validate(ds));

        Assert.Equal("metadata.name: Invalid value: \"Bad_Name\": " + NameValidation.Dns1123SubdomainMessage, error);
    }

    [Fact]
    public void Validate_MissingName_IsRequired()
    {
        var ds = TestObjects.DaemonSet();
        ds.Metadata.Name = "";

        var error = Assert.Single(Validate(ds));

        Assert.Equal("metadata.name: Required value: name or generateName is required", error);
    }

    [Fact]
    public void Validate_InvalidNamespace_UsesDns1123LabelMessage()
    {
        var ds = TestObjects.DaemonSet();
        ds.Metadata.Namespace = "kube.system";

        var error = Assert.Single(Validate(ds));

        Assert.Equal("metadata.namespace: Invalid value: \"kube.system\": " + NameValidation.Dns1123LabelMessage, error);
    }

    [Fact]
    public void Validate_MissingTemplate_IsRequired()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.Template = null;

        Assert.Contains("spec.template: Required value", Validate(ds));
    }
}
