using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Status;

/// <summary>
/// A pod's status as Kubernetes shapes it, from its containers as Docker reports them: phase, conditions (with
/// transition times kept from the previous status), and per container its state, last state, readiness and restarts.
/// </summary>
internal static class PodStatusBuilder
{
    public static PodStatus Build(DesiredPod pod, IReadOnlyList<RuntimeContainer> instances, RestartTracker restarts, PodStatus? previous, string hostIp, DateTimeOffset now)
    {
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
            status.ContainerStatuses.Add(BuildContainer(pod, container, mine, restarts));
        }

        var allReady = status.ContainerStatuses.Count > 0 && status.ContainerStatuses.All(c => c.Ready);
        var anyRunning = status.ContainerStatuses.Any(c => c.State?.Running is not null);
        var allCreated = status.ContainerStatuses.All(c => c.State?.Waiting?.Reason is not ("ContainerCreating" or "ErrImagePull" or "ImagePullBackOff" or "ErrImageNeverPull" or "CreateContainerError"));
        status.Phase = anyRunning || (allCreated && status.ContainerStatuses.Any(c => c.RestartCount > 0 || c.LastState?.Terminated is not null))
            ? "Running"
            : "Pending";

        var timestamp = Timestamp.FromDateTimeOffset(now);
        status.Conditions.Add(Condition("Initialized", true, previous, timestamp));
        status.Conditions.Add(Condition("Ready", allReady, previous, timestamp));
        status.Conditions.Add(Condition("ContainersReady", allReady, previous, timestamp));
        status.Conditions.Add(Condition("PodScheduled", true, previous, timestamp));
        return status;
    }

    private static ContainerStatus BuildContainer(DesiredPod pod, DesiredContainer container, List<RuntimeContainer> instances, RestartTracker restarts)
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
            Started = latest?.State == ContainerRunState.Running,
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

        var failure = restarts.LastFailure(key);
        switch (latest?.State)
        {
            case null:
                status.State.Waiting = failure is { } f
                    ? new ContainerStateWaiting { Reason = f.Reason, Message = f.Message }
                    : new ContainerStateWaiting { Reason = "ContainerCreating" };
                break;
            case ContainerRunState.Running:
                status.State.Running = new ContainerStateRunning { StartedAt = Time(latest.StartedAt) };
                status.Ready = true;
                break;
            case ContainerRunState.Exited or ContainerRunState.Dead:
                // An exited container waiting out its back-off shows CrashLoopBackOff, its exit as the last state.
                if (restarts.CurrentBackoff(key) is { } backoff && latest.FinishedAt is { } finished && restarts.Time.GetUtcNow() - finished < backoff)
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
                status.State.Waiting = failure is { } err
                    ? new ContainerStateWaiting { Reason = err.Reason, Message = err.Message }
                    : new ContainerStateWaiting { Reason = "ContainerCreating" };
                break;
        }

        return status;
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
