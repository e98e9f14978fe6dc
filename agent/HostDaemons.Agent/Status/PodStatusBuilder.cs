using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Status;

/// <summary>
/// A pod's status as Kubernetes shapes it, from its containers as Docker reports them: phase, conditions (with
/// transition times kept from the previous status), its addresses, and per container (init containers apart) its
/// state, last state, readiness and restarts. Started and ready follow the probe results (none when omitted): the
/// readiness of the app containers and sidecars drives the Ready and ContainersReady conditions. A container whose
/// postStart hook is still running is not running yet for Kubernetes.
/// </summary>
internal static class PodStatusBuilder
{
    /// <param name="pod">The pod as the agent resolved it.</param>
    /// <param name="instances">The pod's containers as the engine lists them (its sandbox too).</param>
    /// <param name="restarts">Back-offs and failures, for the waiting reasons.</param>
    /// <param name="previous">The status reported before, for transition times and the start time.</param>
    /// <param name="hostIp">The node's address.</param>
    /// <param name="now">The time of this status.</param>
    /// <param name="probes">Probe results; none when omitted.</param>
    /// <param name="starting">Tells the containers whose postStart hook runs; none when omitted.</param>
    public static PodStatus Build(DesiredPod pod, IReadOnlyList<RuntimeContainer> instances, RestartTracker restarts, PodStatus? previous, string hostIp, DateTimeOffset now,
        IProbeResults? probes = null, Func<string, bool>? starting = null)
    {
        probes ??= NoProbeResults.Instance;
        starting ??= _ => false;
        var sandbox = PodPlanner.CurrentSandbox(instances);
        var status = new PodStatus
        {
            HostIp = hostIp,
            StartTime = previous?.StartTime ?? Timestamp.FromDateTimeOffset(now),
        };
        PodAddresses.Set(status, pod, sandbox, hostIp);

        var containers = instances.Where(i => !i.IsSandbox()).ToList();
        var defaultReason = pod.InitContainers.Count > 0 ? "PodInitializing" : "ContainerCreating";
        foreach (var container in pod.InitContainers)
        {
            var mine = PodInitialization.InstancesOf(containers, container.Container.Name);
            status.InitContainerStatuses.Add(BuildContainer(pod, container, mine, restarts, probes, starting, defaultReason));
        }

        foreach (var container in pod.Containers)
        {
            var mine = PodInitialization.InstancesOf(containers, container.Container.Name);
            status.ContainerStatuses.Add(BuildContainer(pod, container, mine, restarts, probes, starting, defaultReason));
        }

        var inCurrentSandbox = PodInitialization.InCurrentSandbox(pod, sandbox?.Id);
        var incomplete = PodInitialization.AppsStarted(pod, containers, inCurrentSandbox)
            ? []
            : pod.InitContainers.Where(c => !PodInitialization.IsDone(c, PodInitialization.InstancesOf(containers, c.Container.Name).FirstOrDefault(inCurrentSandbox), probes))
                .Select(c => c.Container.Name).ToList();
        var initialized = incomplete.Count == 0;

        // Ready: the app containers and the sidecars, as the kubelet counts them since sidecars.
        var sidecars = pod.InitContainers.Select((c, i) => (c, i)).Where(x => x.c.IsSidecar).Select(x => status.InitContainerStatuses[x.i]);
        var readiness = status.ContainerStatuses.Concat(sidecars).ToList();
        var allReady = initialized && readiness.Count > 0 && readiness.All(c => c.Ready);

        // Kubernetes: Running once every container was created and one runs, or is restarting (restartPolicy Always);
        // Pending while initializing; Failed when an init container failed and the pod restarts nothing.
        var allCreated = pod.Containers.All(c => containers.Any(i => i.Get(ContainerLabels.Container) == c.Container.Name));
        var anyStarted = pod.Containers.Any(c => containers.Any(i => i.Get(ContainerLabels.Container) == c.Container.Name && (i.StartedAt is not null || i.State == ContainerRunState.Running)));
        status.Phase = !initialized
            ? InitFailedForGood(pod, status) ? "Failed" : "Pending"
            : allCreated && anyStarted ? "Running" : "Pending";

        var timestamp = Timestamp.FromDateTimeOffset(now);
        status.Conditions.Add(Condition("Initialized", initialized, previous, timestamp,
            initialized ? null : ("ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', incomplete)}]")));
        status.Conditions.Add(Condition("Ready", allReady, previous, timestamp));
        status.Conditions.Add(Condition("ContainersReady", allReady, previous, timestamp));
        status.Conditions.Add(Condition("PodScheduled", true, previous, timestamp));
        return status;
    }

    /// <summary>An init container exited with an error and the pod's restartPolicy Never runs it no more.</summary>
    private static bool InitFailedForGood(DesiredPod pod, PodStatus status) =>
        pod.Pod.Spec.RestartPolicy == "Never"
        && pod.InitContainers.Select((c, i) => (c, i)).Any(x => !x.c.IsSidecar && status.InitContainerStatuses[x.i].State?.Terminated is { ExitCode: not 0 });

    private static ContainerStatus BuildContainer(DesiredPod pod, DesiredContainer container, List<RuntimeContainer> instances, RestartTracker restarts, IProbeResults probes,
        Func<string, bool> starting, string defaultReason)
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

        var waiting = Waiting(restarts, key, defaultReason);
        switch (latest?.State)
        {
            case null:
                status.State.Waiting = waiting;
                break;
            case ContainerRunState.Running when starting(latest.Id):
                status.State.Waiting = waiting;
                status.Started = false;
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
    private static ContainerStateWaiting Waiting(RestartTracker restarts, string key, string defaultReason)
    {
        if (restarts.LastFailure(key) is not { } failure)
        {
            return new ContainerStateWaiting { Reason = defaultReason };
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

    private static PodCondition Condition(string type, bool value, PodStatus? previous, Timestamp now, (string Reason, string Message)? why = null)
    {
        var status = value ? "True" : "False";
        var before = previous?.Conditions.FirstOrDefault(c => c.Type == type);
        return new PodCondition
        {
            Type = type,
            Status = status,
            LastTransitionTime = before?.Status == status ? before.LastTransitionTime : now,
            Reason = why?.Reason ?? (type is "Ready" or "ContainersReady" && !value ? "ContainersNotReady" : ""),
            Message = why?.Message ?? "",
        };
    }

    private static Timestamp? Time(DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;

    private static string FormatDuration(TimeSpan value) =>
        value.TotalMinutes >= 1 ? $"{(int)value.TotalMinutes}m{value.Seconds}s" : $"{(int)value.TotalSeconds}s";
}
