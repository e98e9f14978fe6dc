using HostDaemons.Model.Validation;

namespace HostDaemons.Model.Tests.Validation;

public sealed class ValidationErrorsTests
{
    [Fact]
    public void FieldError_EveryType_IsWordedAsKubernetes()
    {
        var errors = new ValidationErrors();
        errors.Required("spec.selector");
        errors.Required("metadata.name", "name or generateName is required");
        errors.Invalid("spec.minReadySeconds", -1, "must be greater than or equal to 0");
        errors.Invalid("metadata.name", "Bad", "bad name");
        errors.NotSupported("spec.dnsPolicy", "Weird", "ClusterFirst", "Default");
        errors.Duplicate("spec.containers[1].name", "main");
        errors.NotFound("spec.containers[0].volumeMounts[0].name", "logs");
        errors.Forbidden("metadata.namespace", "not allowed on this type");
        errors.Invalid("x", null, "null value");

        Assert.Equal(
        [
            "spec.selector: Required value",
            "metadata.name: Required value: name or generateName is required",
            "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
            "metadata.name: Invalid value: \"Bad\": bad name",
            "spec.dnsPolicy: Unsupported value: \"Weird\": supported values: \"ClusterFirst\", \"Default\"",
            "spec.containers[1].name: Duplicate value: \"main\"",
            "spec.containers[0].volumeMounts[0].name: Not found: \"logs\"",
            "metadata.namespace: Forbidden: not allowed on this type",
            "x: Invalid value: null: null value",
        ], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void FieldError_TooLong_HasNoValue()
    {
        Assert.Equal("metadata.annotations: Too long: must have at most 262144 bytes",
            new FieldError("metadata.annotations", FieldErrorType.TooLong, "must have at most 262144 bytes").ToString());
    }

    [Fact]
    public void FieldError_MapValue_IsAGoMapSortedByKey()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal) { ["z"] = "1", ["a"] = "2" };

        Assert.Equal("l: Invalid value: map[string]string{\"a\":\"2\", \"z\":\"1\"}: d", new FieldError("l", FieldErrorType.Invalid, "d", map).ToString());
    }

    [Fact]
    public void FieldError_LongValue_IsInvariant()
    {
        Assert.Equal("spec.terminationGracePeriodSeconds: Invalid value: -30: must be greater than or equal to 0",
            new FieldError("spec.terminationGracePeriodSeconds", FieldErrorType.Invalid, "must be greater than or equal to 0", -30L).ToString());
    }

    [Fact]
    public void Summarize_OneError_IsUnbracketed()
    {
        var errors = new ValidationErrors();
        errors.Required("spec.selector");

        Assert.Equal("The DaemonSet \"x\" is invalid: spec.selector: Required value", ValidationErrors.Summarize("DaemonSet", "x", errors));
    }

    [Fact]
    public void Summarize_SeveralErrors_AreBracketedAndCommaSeparated()
    {
        var errors = new ValidationErrors();
        errors.Required("spec.selector");
        errors.Required("spec.template");

        Assert.Equal("The DaemonSet \"x\" is invalid: [spec.selector: Required value, spec.template: Required value]", ValidationErrors.Summarize("DaemonSet", "x", errors));
    }
}
