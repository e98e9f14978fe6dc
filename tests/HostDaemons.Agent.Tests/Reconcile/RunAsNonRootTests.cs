using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>The kubelet's runAsNonRoot check against the container's runAsUser, else its image's user, with its messages.</summary>
public sealed class RunAsNonRootTests
{
    private const string Where = "(pod: \"fluentd-x7k2p_kube-system(5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b)\", container: main)";

    private readonly FakeContainerRuntime _runtime = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0:0")]
    public async Task VerifyAsync_ImageRunsAsRoot_Refused(string imageUser)
    {
        _runtime.SetImageUser(TestPods.Image, imageUser);

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => RunAsNonRoot.VerifyAsync(Container(podNonRoot: true), _runtime, Ct));

        Assert.Equal(("CreateContainerConfigError", $"container has runAsNonRoot and image will run as root {Where}"), (error.Reason, error.Message));
    }

    [Fact]
    public async Task VerifyAsync_ImageUserByName_CannotBeVerified()
    {
        _runtime.SetImageUser(TestPods.Image, "fluent:fluent");

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => RunAsNonRoot.VerifyAsync(Container(containerNonRoot: true), _runtime, Ct));

        Assert.Equal($"container has runAsNonRoot and image has non-numeric user (fluent), cannot verify user is non-root {Where}", error.Message);
    }

    [Theory]
    [InlineData("65534")]
    [InlineData("1000:1000")]
    public async Task VerifyAsync_ImageRunsAsAnotherUser_Allowed(string imageUser)
    {
        _runtime.SetImageUser(TestPods.Image, imageUser);

        await RunAsNonRoot.VerifyAsync(Container(podNonRoot: true), _runtime, Ct);
    }

    [Fact]
    public async Task VerifyAsync_RunAsUserZero_BreaksThePolicy()
    {
        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => RunAsNonRoot.VerifyAsync(Container(podNonRoot: true, runAsUser: 0), _runtime, Ct));

        Assert.Equal($"container's runAsUser breaks non-root policy {Where}", error.Message);
    }

    [Fact]
    public async Task VerifyAsync_RunAsUserSetToAnother_AllowedWithoutLookingAtTheImage()
    {
        await RunAsNonRoot.VerifyAsync(Container(podNonRoot: true, runAsUser: 1000), _runtime, Ct);
    }

    [Fact]
    public async Task VerifyAsync_ContainerSaysFalseOverThePodsTrue_Allowed()
    {
        await RunAsNonRoot.VerifyAsync(Container(podNonRoot: true, containerNonRoot: false), _runtime, Ct);
    }

    private static DesiredContainer Container(bool? podNonRoot = null, bool? containerNonRoot = null, long? runAsUser = null)
    {
        var pod = TestPods.Pod();
        pod.Spec.SecurityContext = new PodSecurityContext();
        pod.Spec.Containers[0].SecurityContext = new SecurityContext();
        if (podNonRoot is { } p)
        {
            pod.Spec.SecurityContext.RunAsNonRoot = p;
        }

        if (containerNonRoot is { } c)
        {
            pod.Spec.Containers[0].SecurityContext.RunAsNonRoot = c;
        }

        if (runAsUser is { } user)
        {
            pod.Spec.Containers[0].SecurityContext.RunAsUser = user;
        }

        return ContainerSpecBuilder.Build(pod, TestPods.Node).Containers[0];
    }
}
