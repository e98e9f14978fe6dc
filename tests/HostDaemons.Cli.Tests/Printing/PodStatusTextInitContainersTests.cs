using HostDaemons.Model.Printing;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Printing;

/// <summary>READY, STATUS and RESTARTS of pods with init containers and sidecars, as kubectl's printPod derives them.</summary>
public sealed class PodStatusTextInitContainersTests
{
    private static (string Ready, string Status, string Restarts) Describe(Pod pod) => PodStatusText.Describe(pod, TestPods.Now);

    /// <summary>A pod with init containers setup-0 and setup-1 (and a sidecar proxy when asked) before app container c0.</summary>
    private static Pod Pod(bool sidecar = false)
    {
        var pod = TestPods.Pod();
        pod.Spec.InitContainers.Add(new Container { Name = "setup-0", Image = "busybox" });
        pod.Spec.InitContainers.Add(new Container { Name = "setup-1", Image = "busybox" });
        if (sidecar)
        {
            pod.Spec.InitContainers.Add(new Container { Name = "proxy", Image = "envoy", RestartPolicy = "Always" });
        }

        return pod;
    }

    private static ContainerStatus Completed(string name) => TestPods.Terminated(name, "Completed");

    private static void InitContainersDone(Pod pod)
    {
        pod.Status.InitContainerStatuses.Add(Completed("setup-0"));
        pod.Status.InitContainerStatuses.Add(Completed("setup-1"));
    }

    public static TheoryData<ContainerStatus, string> SecondInitContainer => new()
    {
        { TestPods.Waiting("setup-1", "PodInitializing"), "Init:1/2" },
        { TestPods.Running("setup-1"), "Init:1/2" },
        { new ContainerStatus { Name = "setup-1" }, "Init:1/2" },
        { TestPods.Waiting("setup-1", "CrashLoopBackOff", restarts: 3), "Init:CrashLoopBackOff" },
        { TestPods.Waiting("setup-1", "ImagePullBackOff"), "Init:ImagePullBackOff" },
        { TestPods.Terminated("setup-1", "Error", exitCode: 1), "Init:Error" },
        { TestPods.Terminated("setup-1", "", exitCode: 3), "Init:ExitCode:3" },
        { TestPods.Terminated("setup-1", "", exitCode: 137, signal: 9), "Init:Signal:9" },
    };

    [Theory]
    [MemberData(nameof(SecondInitContainer))]
    public void Describe_SecondInitContainerNotDone_ShowsInitState(ContainerStatus second, string expected)
    {
        var pod = Pod();
        pod.Status.InitContainerStatuses.Add(Completed("setup-0"));
        pod.Status.InitContainerStatuses.Add(second);
        pod.Status.ContainerStatuses.Add(TestPods.Waiting("c0", "PodInitializing"));

        Assert.Equal(("0/1", expected), (Describe(pod).Ready, Describe(pod).Status));
    }

    [Fact]
    public void Describe_FirstInitContainerWaiting_IsInitZeroOfTwo()
    {
        var pod = Pod();
        pod.Status.InitContainerStatuses.Add(TestPods.Waiting("setup-0", "PodInitializing"));
        pod.Status.InitContainerStatuses.Add(TestPods.Waiting("setup-1", "PodInitializing"));

        Assert.Equal("Init:0/2", Describe(pod).Status);
    }

    [Fact]
    public void Describe_InitDoneAppContainerStarting_IsPodInitializing()
    {
        var pod = Pod();
        InitContainersDone(pod);
        pod.Status.ContainerStatuses.Add(TestPods.Waiting("c0", "PodInitializing"));

        Assert.Equal(("0/1", "PodInitializing", "0"), Describe(pod));
    }

    [Fact]
    public void Describe_InitDoneAppRunning_IsRunning()
    {
        var pod = Pod();
        pod.Status.Phase = "Running";
        InitContainersDone(pod);
        pod.Status.ContainerStatuses.Add(TestPods.Running("c0"));

        Assert.Equal(("1/1", "Running", "0"), Describe(pod));
    }

    [Fact]
    public void Describe_InitCrashLooping_RestartsCountTheInitContainer()
    {
        var pod = Pod();
        var crashing = TestPods.Waiting("setup-0", "CrashLoopBackOff", restarts: 4);
        crashing.LastState = new ContainerState { Terminated = new ContainerStateTerminated { ExitCode = 1, FinishedAt = TestPods.Ago(TimeSpan.FromSeconds(40)) } };
        pod.Status.InitContainerStatuses.Add(crashing);

        Assert.Equal(("0/1", "Init:CrashLoopBackOff", "4 (40s ago)"), Describe(pod));
    }

    /// <summary>The pod with its init containers done, sidecar proxy started, and app container c0 running.</summary>
    private static Pod WithStartedSidecar(ContainerStatus proxy)
    {
        var pod = Pod(sidecar: true);
        pod.Status.Phase = "Running";
        InitContainersDone(pod);
        proxy.Started = true;
        pod.Status.InitContainerStatuses.Add(proxy);
        pod.Status.ContainerStatuses.Add(TestPods.Running("c0"));
        return pod;
    }

    [Fact]
    public void Describe_RunningSidecar_CountsInReadyAndTotal()
    {
        var proxy = TestPods.Running("proxy", restarts: 1);
        proxy.LastState = new ContainerState { Terminated = new ContainerStateTerminated { FinishedAt = TestPods.Ago(TimeSpan.FromMinutes(2)) } };

        Assert.Equal(("2/2", "Running", "1 (2m ago)"), Describe(WithStartedSidecar(proxy)));
    }

    [Fact]
    public void Describe_SidecarStartedButNotReady_CountsInTotalOnly()
    {
        var pod = WithStartedSidecar(TestPods.Running("proxy", ready: false));

        Assert.Equal(("1/2", "Running"), (Describe(pod).Ready, Describe(pod).Status));
    }

    [Fact]
    public void Describe_SidecarNotStartedYet_HoldsInitialization()
    {
        var pod = Pod(sidecar: true);
        InitContainersDone(pod);
        pod.Status.InitContainerStatuses.Add(TestPods.Running("proxy", ready: false));

        Assert.Equal(("0/2", "Init:2/3"), (Describe(pod).Ready, Describe(pod).Status));
    }

    // kubectl counts the app containers once the pod is Initialized, and keeps the init reason unless one of them has its own.
    [Fact]
    public void Describe_InitializedConditionTrue_CountsAppContainersWhileAnInitStatusLags()
    {
        var pod = Pod();
        pod.Status.Phase = "Running";
        pod.Status.Conditions.Add(new PodCondition { Type = "Initialized", Status = "True" });
        pod.Status.InitContainerStatuses.Add(TestPods.Waiting("setup-0", "PodInitializing"));
        pod.Status.ContainerStatuses.Add(TestPods.Running("c0"));

        Assert.Equal(("1/1", "Init:0/2"), (Describe(pod).Ready, Describe(pod).Status));
    }
}
