using HostDaemons.Model.Printing;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Printing;

public sealed class PodStatusTextTests
{
    private static (string Ready, string Status, string Restarts) Describe(Pod pod) => PodStatusText.Describe(pod, TestPods.Now);

    [Fact]
    public void Describe_NoStatus_IsPending()
    {
        var pod = TestPods.Pod();
        pod.Status = null;

        Assert.Equal(("0/1", "Pending", "0"), Describe(pod));
    }

    [Fact]
    public void Describe_PendingWithoutContainerStatuses_ShowsPhase()
    {
        Assert.Equal(("0/1", "Pending", "0"), Describe(TestPods.Pod()));
    }

    [Fact]
    public void Describe_RunningAndReady_CountsReadyContainers()
    {
        var pod = TestPods.Pod(containers: 2);
        pod.Status.Phase = "Running";
        pod.Status.ContainerStatuses.Add(TestPods.Running("c0"));
        pod.Status.ContainerStatuses.Add(TestPods.Running("c1", ready: false));

        Assert.Equal(("1/2", "Running", "0"), Describe(pod));
    }

    [Fact]
    public void Describe_WaitingReason_ReplacesPhase()
    {
        var pod = TestPods.Pod();
        pod.Status.Phase = "Pending";
        pod.Status.ContainerStatuses.Add(TestPods.Waiting("c0", "ContainerCreating"));

        Assert.Equal(("0/1", "ContainerCreating", "0"), Describe(pod));
    }

    [Fact]
    public void Describe_CrashLoopBackOff_ShowsReasonAndRestartsWithAge()
    {
        var pod = TestPods.Pod();
        pod.Status.Phase = "Running";
        var status = TestPods.Waiting("c0", "CrashLoopBackOff", restarts: 4);
        status.LastState = new ContainerState
        {
            Terminated = new ContainerStateTerminated { ExitCode = 1, Reason = "Error", FinishedAt = TestPods.Ago(TimeSpan.FromSeconds(20)) },
        };
        pod.Status.ContainerStatuses.Add(status);

        Assert.Equal(("0/1", "CrashLoopBackOff", "4 (20s ago)"), Describe(pod));
    }

    [Fact]
    public void Describe_RestartsAcrossContainers_AreSummedWithLatestFinish()
    {
        var pod = TestPods.Pod(containers: 2);
        pod.Status.Phase = "Running";
        var first = TestPods.Running("c0", restarts: 1);
        first.LastState = new ContainerState { Terminated = new ContainerStateTerminated { FinishedAt = TestPods.Ago(TimeSpan.FromHours(3)) } };
        var second = TestPods.Running("c1", restarts: 2);
        second.LastState = new ContainerState { Terminated = new ContainerStateTerminated { FinishedAt = TestPods.Ago(TimeSpan.FromMinutes(3)) } };
        pod.Status.ContainerStatuses.Add(first);
        pod.Status.ContainerStatuses.Add(second);

        Assert.Equal(("2/2", "Running", "3 (3m ago)"), Describe(pod));
    }

    [Fact]
    public void Describe_RestartsWithoutLastTermination_JustTheCount()
    {
        var pod = TestPods.Pod();
        pod.Status.Phase = "Running";
        pod.Status.ContainerStatuses.Add(TestPods.Running("c0", restarts: 2));

        Assert.Equal(("1/1", "Running", "2"), Describe(pod));
    }

    [Fact]
    public void Describe_TerminatedCompleted_IsCompleted()
    {
        var pod = TestPods.Pod();
        pod.Status.Phase = "Succeeded";
        pod.Status.ContainerStatuses.Add(TestPods.Terminated("c0", "Completed"));

        Assert.Equal(("0/1", "Completed", "0"), Describe(pod));
    }

    [Fact]
    public void Describe_CompletedButAnotherContainerRunning_IsRunning()
    {
        var pod = TestPods.Pod(containers: 2);
        pod.Status.Phase = "Running";
        pod.Status.Conditions.Add(new PodCondition { Type = "Ready", Status = "True" });
        pod.Status.ContainerStatuses.Add(TestPods.Terminated("c0", "Completed"));
        pod.Status.ContainerStatuses.Add(TestPods.Running("c1"));

        Assert.Equal(("1/2", "Running", "0"), Describe(pod));
    }

    [Fact]
    public void Describe_CompletedAndRunningWithoutReadyCondition_IsNotReady()
    {
        var pod = TestPods.Pod(containers: 2);
        pod.Status.Phase = "Running";
        pod.Status.ContainerStatuses.Add(TestPods.Terminated("c0", "Completed"));
        pod.Status.ContainerStatuses.Add(TestPods.Running("c1"));

        Assert.Equal("NotReady", Describe(pod).Status);
    }

    [Fact]
    public void Describe_TerminatedWithoutReason_ShowsExitCodeOrSignal()
    {
        var exited = TestPods.Pod();
        exited.Status.Phase = "Failed";
        exited.Status.ContainerStatuses.Add(TestPods.Terminated("c0", "", exitCode: 137));
        var signalled = TestPods.Pod();
        signalled.Status.Phase = "Failed";
        signalled.Status.ContainerStatuses.Add(TestPods.Terminated("c0", "", exitCode: 0, signal: 9));

        Assert.Equal("ExitCode:137", Describe(exited).Status);
        Assert.Equal("Signal:9", Describe(signalled).Status);
    }

    [Fact]
    public void Describe_FirstContainerReason_WinsAsKubectlWalksBackwards()
    {
        var pod = TestPods.Pod(containers: 2);
        pod.Status.Phase = "Running";
        pod.Status.ContainerStatuses.Add(TestPods.Waiting("c0", "ImagePullBackOff"));
        pod.Status.ContainerStatuses.Add(TestPods.Waiting("c1", "CrashLoopBackOff"));

        Assert.Equal("ImagePullBackOff", Describe(pod).Status);
    }

    [Fact]
    public void Describe_DeletionTimestamp_IsTerminating()
    {
        var pod = TestPods.Pod();
        pod.Status.Phase = "Running";
        pod.Status.ContainerStatuses.Add(TestPods.Running("c0"));
        pod.Metadata.DeletionTimestamp = TestPods.Ago(TimeSpan.FromSeconds(3));

        Assert.Equal(("1/1", "Terminating", "0"), Describe(pod));
    }

    [Fact]
    public void Describe_DeletedPodInTerminalPhase_KeepsItsReason()
    {
        var pod = TestPods.Pod();
        pod.Status.Phase = "Succeeded";
        pod.Status.ContainerStatuses.Add(TestPods.Terminated("c0", "Completed"));
        pod.Metadata.DeletionTimestamp = TestPods.Ago(TimeSpan.FromSeconds(3));

        Assert.Equal("Completed", Describe(pod).Status);
    }

    [Fact]
    public void Describe_StatusReason_ReplacesPhase()
    {
        var pod = TestPods.Pod();
        pod.Status.Phase = "Failed";
        pod.Status.Reason = "Evicted";

        Assert.Equal("Evicted", Describe(pod).Status);
    }

    [Fact]
    public void Describe_NoContainersInSpec_ReadyOverZero()
    {
        var pod = TestPods.Pod(containers: 0);

        Assert.Equal("0/0", Describe(pod).Ready);
    }
}
