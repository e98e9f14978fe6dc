using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Status;

/// <summary>
/// A pod's status as Kubernetes shapes it, from its containers as Docker reports them: phase, conditions (with
/// transition times kept from the previous status), and per container its state, last state, readiness and restarts.
/// Started and ready follow the probe results (none when omitted): ready drives the Ready and ContainersReady conditions.
/// </summary>
internal static class PodStatusBuilder
{
    public static PodStatus Build(DesiredPod pod, IReadOnlyList<RuntimeContainer> instances, RestartTracker restarts, PodStatus? previous, string hostIp, DateTimeOffset now, IProbeResults? probes = null)
    {
        probes ??= NoProbeResults.Instance;
        var status = new PodStatus
        {
            HostIp = hostIp,
            PodIp = pod.Pod.Spec.HostNetwork ? hostIp : "",
            StartTime = previous?.StartTime ?? Timestamp.FromDateTimeOffset(now),
        };

        foreach (var container in pod.Containers)
        {
            var name = container.Container.Name;
            var mine = instances.Where(i => i.Get(ContainerLabels.Container) == name).OrderByDescending(i => i.AttemptOf()).ToList();
            status.ContainerStatuses.Add(BuildContainer(pod, container, mine, restarts, probes));
        }

        // Kubernetes: Running once every container was created and one runs, or is restarting (restartPolicy Always).
        var allReady = status.ContainerStatuses.Count > 0 && status.ContainerStatuses.All(c => c.Ready);
        var allCreated = pod.Containers.All(c => instances.Any(i => i.Get(ContainerLabels.Container) == c.Container.Name));
        var anyStarted = instances.Any(i => !i.IsSandbox() && (i.StartedAt is not null || i.State == ContainerRunState.Running));
        status.Phase = allCreated && anyStarted ? "Running" : "Pending";

        var timestamp = Timestamp.FromDateTimeOffset(now);
        status.Conditions.Add(Condition("Initialized", true, previous, timestamp));
        status.Conditions.Add(Condition("Ready", allReady, previous, timestamp));
        status.Conditions.Add(Condition("ContainersReady", allReady, previous, timestamp));
        status.Conditions.Add(Condition("PodScheduled", true, previous, timestamp));
        return status;
    }

    private static ContainerStatus BuildContainer(DesiredPod pod, DesiredContainer container, List<RuntimeContainer> instances, RestartTracker restarts, IProbeResults probes)
    {
        var name = container.Container.Name;
        var key = RestartTracker.Key(pod.Uid, name);
        var latest = instances.FirstOrDefault();
        var status = new ContainerStatus
        {
            Name = name,
            Image = container.Container.Image,
            RestartCount = Math.Max(0, latest?.AttemptOf() ?? 0),
            State = new ContainerState(),
            Started = probes.IsStarted(container.Container, latest),
        };
        if (latest is not null)
        {
            status.ContainerId = "docker://" + latest.Id;
            status.ImageId = latest.ImageId;
        }

        var previous = instances.Skip(1).FirstOrDefault(i => i.State is ContainerRunState.Exited or ContainerRunState.Dead);
        if (previous is not null)
        {
            status.LastState = new ContainerState { Terminated = Terminated(previous) };
        }

        var waiting = Waiting(restarts, key);
        switch (latest?.State)
        {
            case null:
                status.State.Waiting = waiting;
                break;
            case ContainerRunState.Running:
                status.State.Running = new ContainerStateRunning { StartedAt = Time(latest.StartedAt) };
                status.Ready = probes.IsReady(container.Container, latest);
                break;
            case ContainerRunState.Exited or ContainerRunState.Dead:
                // An exited container waiting out its back-off shows CrashLoopBackOff, its exit as the last state.
                if (latest.FinishedAt is { } finished && restarts.CurrentBackoff(key, container.SpecHash, finished) is { } backoff)
                {
                    var meta = pod.Pod.Metadata;
                    status.State.Waiting = new ContainerStateWaiting
                    {
                        Reason = "CrashLoopBackOff",
                        Message = string.Create(CultureInfo.InvariantCulture, $"back-off {FormatDuration(backoff)} restarting failed container={name} pod={meta.Name}_{meta.Namespace}({meta.Uid})"),
                    };
                    status.LastState = new ContainerState { Terminated = Terminated(latest) };
                }
                else
                {
                    status.State.Terminated = Terminated(latest);
                }

                break;
            default:
                status.State.Waiting = waiting;
                break;
        }

        return status;
    }

    /// <summary>Why a container is not running yet: still being created, or its last failure (a failed pull waiting
    /// for its retry shows ImagePullBackOff, as in Kubernetes).</summary>
    private static ContainerStateWaiting Waiting(RestartTracker restarts, string key)
    {
        if (restarts.LastFailure(key) is not { } failure)
        {
            return new ContainerStateWaiting { Reason = "ContainerCreating" };
        }

        var reason = failure.Reason == "ErrImagePull" && restarts.FailureWait(key) > TimeSpan.Zero ? "ImagePullBackOff" : failure.Reason;
        return new ContainerStateWaiting { Reason = reason, Message = failure.Message };
    }

    private static ContainerStateTerminated Terminated(RuntimeContainer instance) => new()
    {
        ExitCode = instance.ExitCode,
        Reason = instance.OomKilled ? "OOMKilled" : instance.Error is { Length: > 0 } ? "ContainerCannotRun" : instance.ExitCode == 0 ? "Completed" : "Error",
        Message = instance.Error ?? "",
        StartedAt = Time(instance.StartedAt),
        FinishedAt = Time(instance.FinishedAt),
        ContainerId = "docker://" + instance.Id,
    };

    private static PodCondition Condition(string type, bool value, PodStatus? previous, Timestamp now)
    {
        var status = value ? "True" : "False";
        var before = previous?.Conditions.FirstOrDefault(c => c.Type == type);
        return new PodCondition
        {
            Type = type,
            Status = status,
            LastTransitionTime = before?.Status == status ? before.LastTransitionTime : now,
            Reason = type is "Ready" or "ContainersReady" && !value ? "ContainersNotReady" : "",
        };
    }

    private static Timestamp? Time(DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;

    private static string FormatDuration(TimeSpan value) =>
        value.TotalMinutes >= 1 ? $"{(int)value.TotalMinutes}m{value.Seconds}s" : $"{(int)value.TotalSeconds}s";
}
