using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests;

/// <summary>Objects for printing tests, created relative to one fixed clock.</summary>
internal static class TestPods
{
    public static DateTimeOffset Now { get; } = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static Timestamp Ago(TimeSpan age) => Timestamp.FromDateTimeOffset(Now - age);

    public static Pod Pod(string name = "ssd-monitor-abcde", int containers = 1) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = name, Namespace = "default", CreationTimestamp = Ago(TimeSpan.FromMinutes(5)) },
        Spec = new PodSpec
        {
            NodeName = "node-1",
            Containers = { Enumerable.Range(0, containers).Select(i => new Container { Name = $"c{i}", Image = "busybox" }) },
        },
        Status = new PodStatus { Phase = "Pending" },
    };

    public static ContainerStatus Running(string name, bool ready = true, int restarts = 0) => new()
    {
        Name = name,
        Ready = ready,
        RestartCount = restarts,
        State = new ContainerState { Running = new ContainerStateRunning { StartedAt = Ago(TimeSpan.FromMinutes(4)) } },
    };

    public static ContainerStatus Waiting(string name, string reason, int restarts = 0) => new()
    {
        Name = name,
        RestartCount = restarts,
        State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = reason } },
    };

    public static ContainerStatus Terminated(string name, string reason, int exitCode = 0, int signal = 0) => new()
    {
        Name = name,
        State = new ContainerState { Terminated = new ContainerStateTerminated { Reason = reason, ExitCode = exitCode, Signal = signal } },
    };
}
