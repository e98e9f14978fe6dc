using HostDaemons.Model.Validation;
using static HostDaemons.Model.Tests.TemplateYaml;

namespace HostDaemons.Model.Tests.Validation;

/// <summary>Requests and limits of any resource, read from a DaemonSet manifest, with Kubernetes' rules.</summary>
public sealed class ResourceRequirementsValidatorTests
{
    private const string Resources = ContainerPath + ".resources";

    [Theory]
    [InlineData("limits: {nvidia.com/gpu: 1}")]
    [InlineData("requests: {nvidia.com/gpu: 2}\nlimits: {nvidia.com/gpu: 2}")]
    [InlineData("requests: {ephemeral-storage: 1Gi, cpu: 10m}\nlimits: {ephemeral-storage: 2Gi}")]
    [InlineData("limits: {memory: 100Mi, hugepages-2Mi: 4Mi}")]
    [InlineData("limits: {example.com/dongle: \"3\", kubernetes.io/foo: 500m}")]
    public void Read_StandardAndExtendedResources_AreValid(string resources)
    {
        Spec("resources:\n" + string.Join('\n', resources.Split('\n').Select(l => "  " + l)));
    }

    [Fact]
    public void Read_ExtendedLimitOnly_DefaultsItsRequest()
    {
        Assert.Equal("1", Spec("resources:\n  limits: {nvidia.com/gpu: 1}").Containers[0].Resources.Requests["nvidia.com/gpu"]);
    }

    public static TheoryData<string, string[]> BadResources => new()
    {
        { "requests: {nvidia.com/gpu: 1}", [$"{Resources}.limits: Required value: Limit must be set for non overcommitable resources"] },
        { "requests: {nvidia.com/gpu: 1}\nlimits: {nvidia.com/gpu: 2}", [$"{Resources}.requests: Invalid value: \"1\": must be equal to nvidia.com/gpu limit of 2"] },
        {
            "limits: {nvidia.com/gpu: 500m}",
            [$"{Resources}.limits[nvidia.com/gpu]: Invalid value: \"500m\": must be an integer", $"{Resources}.requests[nvidia.com/gpu]: Invalid value: \"500m\": must be an integer"]
        },
        { "requests: {memory: 2Gi}\nlimits: {memory: 1Gi}", [$"{Resources}.requests: Invalid value: \"2Gi\": must be less than or equal to memory limit of 1Gi"] },
        { "limits: {pods: 1}", [$"{Resources}.limits[pods]: Invalid value: \"pods\": must be a standard resource for containers", $"{Resources}.requests[pods]: Invalid value: \"pods\": must be a standard resource for containers"] },
        {
            "limits: {memory: 1Gi, hugepages-2Mi: 3Mi}",
            [$"{Resources}.limits[hugepages-2Mi]: Invalid value: \"3Mi\": 3Mi is not positive integer multiple of hugepages-2Mi", $"{Resources}.requests[hugepages-2Mi]: Invalid value: \"3Mi\": 3Mi is not positive integer multiple of hugepages-2Mi"]
        },
        { "limits: {hugepages-2Mi: 2Mi}", [$"{Resources}: Forbidden: HugePages require cpu or memory"] },
        {
            "requests: {example.com/-x: 1}\nlimits: {example.com/-x: 1}",
            [
                $"{Resources}.limits[example.com/-x]: Invalid value: \"example.com/-x\": {NameValidation.QualifiedNameMessage}",
                $"{Resources}.limits[example.com/-x]: Invalid value: \"example.com/-x\": doesn't follow extended resource name standard",
                $"{Resources}.requests[example.com/-x]: Invalid value: \"example.com/-x\": {NameValidation.QualifiedNameMessage}",
                $"{Resources}.requests[example.com/-x]: Invalid value: \"example.com/-x\": doesn't follow extended resource name standard",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(BadResources))]
    public void Read_BadResources_AreRefusedWithKubernetesMessages(string resources, string[] expected)
    {
        var errors = Errors("resources:\n" + string.Join('\n', resources.Split('\n').Select(l => "  " + l)));

        Assert.Equal(expected.Order(StringComparer.Ordinal), errors.Order(StringComparer.Ordinal));
    }
}
