using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.Model.Tests.Validation;

public sealed class PodSpecValidatorTests
{
    private static PodSpec Spec() => new() { Containers = { new Container { Name = "main", Image = "busybox" } } };

    private static string[] Validate(PodSpec spec)
    {
        ObjectDefaults.Apply(spec);
        var errors = new ValidationErrors();
        PodSpecValidator.Validate(spec, "spec", errors);
        return errors.Select(e => e.ToString()).ToArray();
    }

    [Fact]
    public void Validate_MinimalSpec_IsValid()
    {
        Assert.Empty(Validate(Spec()));
    }

    [Fact]
    public void Validate_NoContainers_IsRequired()
    {
        Assert.Equal(["spec.containers: Required value"], Validate(new PodSpec()));
    }

    [Fact]
    public void Validate_DuplicateContainerName_IsDuplicate()
    {
        var spec = Spec();
        spec.Containers.Add(new Container { Name = "main", Image = "busybox" });

        Assert.Equal(["spec.containers[1].name: Duplicate value: \"main\""], Validate(spec));
    }

    [Fact]
    public void Validate_ContainerNameNotALabel_UsesDns1123LabelMessage()
    {
        var spec = Spec();
        spec.Containers[0].Name = "Main";

        Assert.Equal(["spec.containers[0].name: Invalid value: \"Main\": " + NameValidation.Dns1123LabelMessage], Validate(spec));
    }

    [Fact]
    public void Validate_ImageWithSurroundingSpace_IsInvalid()
    {
        var spec = Spec();
        spec.Containers[0].Image = " busybox";

        Assert.Equal(["spec.containers[0].image: Invalid value: \" busybox\": must not have leading or trailing whitespace"], Validate(spec));
    }

    [Fact]
    public void Validate_MountOfUnknownVolume_IsNotFound()
    {
        var spec = Spec();
        spec.Containers[0].VolumeMounts.Add(new VolumeMount { Name = "logs", MountPath = "/var/log" });

        Assert.Equal(["spec.containers[0].volumeMounts[0].name: Not found: \"logs\""], Validate(spec));
    }

    [Fact]
    public void Validate_HostPathVolume_MountedIsValid()
    {
        var spec = Spec();
        spec.Volumes.Add(new Volume { Name = "logs", HostPath = new HostPathVolumeSource { Path = "/var/log" } });
        spec.Containers[0].VolumeMounts.Add(new VolumeMount { Name = "logs", MountPath = "/var/log" });

        Assert.Empty(Validate(spec));
    }

    [Theory]
    [InlineData("var/log", "spec.volumes[0].hostPath.path: Invalid value: \"var/log\": must be an absolute path")]
    [InlineData("/var/../etc", "spec.volumes[0].hostPath.path: Invalid value: \"/var/../etc\": must not contain '..'")]
    [InlineData("", "spec.volumes[0].hostPath.path: Required value")]
    public void Validate_BadHostPath_IsInvalid(string path, string expected)
    {
        var spec = Spec();
        spec.Volumes.Add(new Volume { Name = "logs", HostPath = new HostPathVolumeSource { Path = path } });

        Assert.Equal([expected], Validate(spec));
    }

    [Fact]
    public void Validate_VolumeWithoutSource_MustSpecifyType()
    {
        var spec = Spec();
        spec.Volumes.Add(new Volume { Name = "logs" });

        Assert.Equal(["spec.volumes[0]: Required value: must specify a volume type"], Validate(spec));
    }

    [Fact]
    public void Validate_NegativeGracePeriod_IsInvalid()
    {
        var spec = Spec();
        spec.TerminationGracePeriodSeconds = -1;

        Assert.Equal(["spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0"], Validate(spec));
    }

    [Fact]
    public void Validate_UnqualifiedUnknownResourceName_IsNeitherStandardNorForContainers()
    {
        var spec = Spec();
        spec.Containers[0].Resources = new ResourceRequirements { Requests = { ["gpu"] = "1" } };

        Assert.Equal(
            [
                "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified",
                "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
            ],
            Validate(spec));
    }

    [Fact]
    public void Validate_NegativeQuantity_IsInvalid()
    {
        var spec = Spec();
        spec.Containers[0].Resources = new ResourceRequirements { Requests = { ["cpu"] = "-1" } };

        Assert.Equal(["spec.containers[0].resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0"], Validate(spec));
    }

    [Fact]
    public void Validate_TolerationExistsWithValue_IsInvalid()
    {
        var spec = Spec();
        spec.Tolerations.Add(new Toleration { Key = "k", Operator = "Exists", Value = "v" });

        Assert.Equal(["spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'"], Validate(spec));
    }

    [Fact]
    public void Validate_TolerationSecondsWithoutNoExecute_IsInvalid()
    {
        var spec = Spec();
        spec.Tolerations.Add(new Toleration { Key = "k", Operator = "Exists", Effect = "NoSchedule", TolerationSeconds = 5 });

        Assert.Equal(["spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"], Validate(spec));
    }

    [Fact]
    public void Validate_EnvNameStartingWithDigit_IsInvalid()
    {
        var spec = Spec();
        spec.Containers[0].Env.Add(new EnvVar { Name = "1X", Value = "v" });

        Assert.Equal(["spec.containers[0].env[0].name: Invalid value: \"1X\": " + NameValidation.EnvVarNameMessage], Validate(spec));
    }
}
