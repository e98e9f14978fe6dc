using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>Several containers without hostNetwork share one network namespace, held by the pod's sandbox.</summary>
public sealed class PodSandboxPlanTests
{
    private readonly FakeTimeProvider _time = new(AgentHarness.Epoch);

    private RestartTracker Restarts => new(_time);

    [Fact]
    public void Build_SeveralContainersWithoutHostNetwork_GetsASandboxHoldingTheDns()
    {
        var pod = TwoContainers();
        pod.Spec.DnsConfig = new Model.V1.PodDNSConfig { Nameservers = { "192.0.2.53" } };

        var desired = ContainerSpecBuilder.Build(pod, TestPods.Node);

        Assert.True(desired.NeedsSandbox);
        Assert.Equal(PauseImage.Name, desired.Sandbox!.Image);
        Assert.Equal(["192.0.2.53"], desired.Sandbox.DnsServers);
        Assert.All(desired.Containers, c => Assert.True(c.JoinsSandbox));
        Assert.All(desired.Containers, c => Assert.Empty(c.Launch.DnsServers));
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 1)]
    public void Build_HostNetworkOrSingleContainer_NeedsNoSandbox(bool hostNetwork, int containers)
    {
        var pod = TestPods.Pod(containers: [.. Enumerable.Range(0, containers).Select(i => TestPods.Container($"c{i}"))]);
        pod.Spec.HostNetwork = hostNetwork;

        Assert.False(ContainerSpecBuilder.Build(pod, TestPods.Node).NeedsSandbox);
    }

    [Fact]
    public void Plan_NoSandbox_CreatesSandboxThenEveryContainer()
    {
        var pod = ContainerSpecBuilder.Build(TwoContainers(), TestPods.Node);

        var plan = PodPlanner.Plan([pod], [], authoritative: true, Restarts);

        var commands = Assert.Single(plan.Work).Commands;
        Assert.IsType<CreateSandboxCommand>(commands[0]);
        Assert.Equal(["a", "b"], commands.Skip(1).Cast<CreateContainerCommand>().Select(c => c.ContainerName));
        Assert.All(commands.Skip(1).Cast<CreateContainerCommand>(), c => Assert.Null(c.SandboxId));
    }

    [Fact]
    public void Plan_SandboxRunning_MissingContainerJoinsIt()
    {
        var pod = ContainerSpecBuilder.Build(TwoContainers(), TestPods.Node);
        var sandbox = TestPods.Sandbox(pod, ContainerRunState.Running);
        var a = TestPods.InSandbox(TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running), sandbox.Id);

        var plan = PodPlanner.Plan([pod], [sandbox, a], authoritative: true, Restarts);

        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Equal("b", create.ContainerName);
        Assert.Equal(sandbox.Id, create.SandboxId);
    }

    [Fact]
    public void Plan_SandboxExited_ContainersStoppedAndRecreatedInANewOne()
    {
        var pod = ContainerSpecBuilder.Build(TwoContainers(), TestPods.Node);
        var sandbox = TestPods.Sandbox(pod, ContainerRunState.Exited);
        var a = TestPods.InSandbox(TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running), sandbox.Id);
        var b = TestPods.InSandbox(TestPods.Instance(pod.Containers[1], 2, ContainerRunState.Running), sandbox.Id);

        var plan = PodPlanner.Plan([pod], [sandbox, a, b], authoritative: true, Restarts);

        var commands = Assert.Single(plan.Work).Commands;
        Assert.IsType<RemoveContainerCommand>(commands[0]);
        Assert.Equal([a.Id, b.Id], commands.OfType<StopContainerCommand>().Select(s => s.Instance.Id));
        Assert.Equal(1, Assert.Single(commands.OfType<CreateSandboxCommand>()).Attempt);
        Assert.Equal([1, 3], commands.OfType<CreateContainerCommand>().Select(c => c.Attempt));
    }

    [Fact]
    public void Plan_ContainerOutsideTheCurrentSandbox_IsReplaced()
    {
        var pod = ContainerSpecBuilder.Build(TwoContainers(), TestPods.Node);
        var sandbox = TestPods.Sandbox(pod, ContainerRunState.Running);
        var a = TestPods.InSandbox(TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running), sandbox.Id);
        var b = TestPods.InSandbox(TestPods.Instance(pod.Containers[1], 0, ContainerRunState.Running), "an-older-sandbox");

        var plan = PodPlanner.Plan([pod], [sandbox, a, b], authoritative: true, Restarts);

        var commands = Assert.Single(plan.Work).Commands;
        Assert.Equal(b.Id, Assert.IsType<StopContainerCommand>(commands[0]).Instance.Id);
        var create = Assert.IsType<CreateContainerCommand>(commands[1]);
        Assert.Equal(("b", 1, sandbox.Id), (create.ContainerName, create.Attempt, create.SandboxId));
    }

    [Fact]
    public void Plan_EverythingRunningInTheSandbox_NothingToDo()
    {
        var pod = ContainerSpecBuilder.Build(TwoContainers(), TestPods.Node);
        var sandbox = TestPods.Sandbox(pod, ContainerRunState.Running);
        var a = TestPods.InSandbox(TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running), sandbox.Id);
        var b = TestPods.InSandbox(TestPods.Instance(pod.Containers[1], 0, ContainerRunState.Running), sandbox.Id);

        Assert.Empty(PodPlanner.Plan([pod], [sandbox, a, b], authoritative: true, Restarts).Work);
    }

    [Fact]
    public void Build_SingleContainerOnAPodNetwork_GetsASandboxOnThatNetwork()
    {
        var desired = ContainerSpecBuilder.Build(TestPods.Pod(), OnNetwork("hd-pods"));

        Assert.True(desired.NeedsSandbox);
        Assert.Equal("hd-pods", desired.Sandbox!.NetworkMode);
        Assert.Equal("hd-pods", desired.Sandbox.Labels[ContainerLabels.SandboxNetwork]);
        Assert.True(Assert.Single(desired.Containers).JoinsSandbox);
    }

    [Fact]
    public void Plan_LegacySandboxWithoutNetworkLabels_AdoptedOnNetworkNone()
    {
        var pod = ContainerSpecBuilder.Build(TwoContainers(), TestPods.Node);
        var legacy = TestPods.Sandbox(pod, ContainerRunState.Running) is var s
            ? s with { Labels = s.Labels.Where(l => l.Key != ContainerLabels.SandboxNetwork).ToDictionary(l => l.Key, l => l.Value) }
            : null!;
        var a = TestPods.InSandbox(TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running), legacy.Id);
        var b = TestPods.InSandbox(TestPods.Instance(pod.Containers[1], 0, ContainerRunState.Running), legacy.Id);

        Assert.Empty(PodPlanner.Plan([pod], [legacy, a, b], authoritative: true, Restarts).Work);
    }

    [Fact]
    public void Plan_SandboxMadeForAnotherNetwork_ContainersStoppedAndRecreatedInANewSandbox()
    {
        var before = ContainerSpecBuilder.Build(TwoContainers(), TestPods.Node);
        var sandbox = TestPods.Sandbox(before, ContainerRunState.Running);
        var a = TestPods.InSandbox(TestPods.Instance(before.Containers[0], 0, ContainerRunState.Running), sandbox.Id);
        var b = TestPods.InSandbox(TestPods.Instance(before.Containers[1], 0, ContainerRunState.Running), sandbox.Id);
        var after = ContainerSpecBuilder.Build(TwoContainers(), OnNetwork("bridge"));

        var commands = Assert.Single(PodPlanner.Plan([after], [sandbox, a, b], authoritative: true, Restarts).Work).Commands;

        var stops = commands.OfType<StopContainerCommand>().ToList();
        Assert.Equal([a.Id, b.Id, sandbox.Id], stops.OrderBy(s => s.Order).Select(s => s.Instance.Id));
        Assert.Equal(TimeSpan.Zero, stops.Single(s => s.Instance.Id == sandbox.Id).GracePeriod);
        Assert.Equal("its pod sandbox was made for other network settings", stops[0].Reason);
        Assert.Equal(1, Assert.Single(commands.OfType<CreateSandboxCommand>()).Attempt);
        Assert.Equal([1, 1], commands.OfType<CreateContainerCommand>().Select(c => c.Attempt));
    }

    [Fact]
    public void Plan_SandboxWithOtherPublishedPorts_Replaced()
    {
        var pod = TwoContainers();
        pod.Spec.Containers[0].Ports.Add(new Model.V1.ContainerPort { ContainerPort_ = 80, HostPort = 8080 });
        var desired = ContainerSpecBuilder.Build(pod, OnNetwork("bridge"));
        var stale = TestPods.Sandbox(desired, ContainerRunState.Running) is var s
            ? s with { Labels = new Dictionary<string, string>(s.Labels) { [ContainerLabels.SandboxSettings] = "different0" } }
            : null!;

        var commands = Assert.Single(PodPlanner.Plan([desired], [stale], authoritative: true, Restarts).Work).Commands;

        Assert.Single(commands.OfType<CreateSandboxCommand>());
    }

    [Fact]
    public void Plan_PodOnNetworkNoneNoLongerNeedsItsSandbox_SandboxStoppedAndContainerReplaced()
    {
        var before = ContainerSpecBuilder.Build(TestPods.Pod(), OnNetwork("bridge"));
        var sandbox = TestPods.Sandbox(before, ContainerRunState.Running);
        var main = TestPods.InSandbox(TestPods.Instance(before.Containers[0], 0, ContainerRunState.Running), sandbox.Id);
        var after = ContainerSpecBuilder.Build(TestPods.Pod(), TestPods.Node);

        var commands = Assert.Single(PodPlanner.Plan([after], [sandbox, main], authoritative: true, Restarts).Work).Commands;

        Assert.Equal([main.Id, sandbox.Id], commands.OfType<StopContainerCommand>().Select(c => c.Instance.Id).Order());
        var create = Assert.Single(commands.OfType<CreateContainerCommand>());
        Assert.Equal((1, (string?)null), (create.Attempt, create.SandboxId));
    }

    private static NodeContext OnNetwork(string network) => new(TestPods.Node, "192.0.2.10", "/var/lib/hostdaemons/agent/pods", null, new HostDaemons.Agent.Network.PodNetwork(network));

    private static Model.V1.Pod TwoContainers() => TestPods.Pod(containers: [TestPods.Container("a"), TestPods.Container("b")]);
}
