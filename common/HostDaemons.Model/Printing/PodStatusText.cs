using System.Globalization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Printing;

/// <summary>
/// The READY, STATUS and RESTARTS columns of a pod, derived as kubectl's printPod derives them: init containers first
/// (<c>Init:1/2</c>, <c>Init:CrashLoopBackOff</c>, <c>Init:ExitCode:1</c>), then the app containers; sidecars (init
/// containers with restartPolicy Always) count towards READY as kubectl 1.29 and later count them.
/// </summary>
public static class PodStatusText
{
    public static (string Ready, string Status, string Restarts) Describe(Pod pod, DateTimeOffset now)
    {
        var status = pod.Status ?? new PodStatus();
        var spec = pod.Spec ?? new PodSpec();
        var reason = status.Reason.Length > 0 ? status.Reason : status.Phase.Length > 0 ? status.Phase : "Pending";
        if (status.Conditions.Any(c => c.Type == "PodScheduled" && c.Reason == "SchedulingGated"))
        {
            reason = "SchedulingGated";
        }

        var sidecars = spec.InitContainers.Where(IsSidecar).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var total = spec.Containers.Count + sidecars.Count;
        var ready = 0;
        var restarts = new RestartCount();
        var sidecarRestarts = new RestartCount();
        var initializing = false;
        for (var i = 0; i < status.InitContainerStatuses.Count; i++)
        {
            var container = status.InitContainerStatuses[i];
            var sidecar = sidecars.Contains(container.Name);
            restarts.Add(container);
            if (sidecar)
            {
                sidecarRestarts.Add(container);
            }

            var state = container.State;
            if (state?.Terminated is { ExitCode: 0 })
            {
                continue;
            }

            if (sidecar && container.Started)
            {
                ready += container.Ready ? 1 : 0;
                continue;
            }

            reason = state switch
            {
                { Terminated: { Reason.Length: > 0 } terminated } => "Init:" + terminated.Reason,
                { Terminated: { Signal: not 0 } terminated } => $"Init:Signal:{N(terminated.Signal)}",
                { Terminated: { } terminated } => $"Init:ExitCode:{N(terminated.ExitCode)}",
                { Waiting: { Reason.Length: > 0 } waiting } when waiting.Reason != "PodInitializing" => "Init:" + waiting.Reason,
                _ => $"Init:{N(i)}/{N(spec.InitContainers.Count)}",
            };
            initializing = true;
            break;
        }

        if (!initializing || status.Conditions.Any(c => c.Type == "Initialized" && c.Status == "True"))
        {
            restarts = sidecarRestarts;
            var hasRunning = false;
            for (var i = status.ContainerStatuses.Count - 1; i >= 0; i--)
            {
                var container = status.ContainerStatuses[i];
                restarts.Add(container);
                var state = container.State;
                if (state?.Waiting is { Reason.Length: > 0 } waiting)
                {
                    reason = waiting.Reason;
                }
                else if (state?.Terminated is { } terminated)
                {
                    reason = terminated.Reason.Length > 0 ? terminated.Reason
                        : terminated.Signal != 0 ? $"Signal:{N(terminated.Signal)}" : $"ExitCode:{N(terminated.ExitCode)}";
                }
                else if (container.Ready && state?.Running is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            // A container that completed while another runs: the pod is Running, or NotReady when it is not Ready.
            if (reason == "Completed" && hasRunning)
            {
                reason = status.Conditions.Any(c => c.Type == "Ready" && c.Status == "True") ? "Running" : "NotReady";
            }
        }

        if (pod.Metadata?.DeletionTimestamp is not null && status.Reason == "NodeLost")
        {
            reason = "Unknown";
        }
        else if (pod.Metadata?.DeletionTimestamp is not null && status.Phase is not ("Succeeded" or "Failed"))
        {
            reason = "Terminating";
        }

        return ($"{N(ready)}/{N(total)}", reason, restarts.Format(now));
    }

    public static bool IsSidecar(Container container) => container.RestartPolicy == "Always";

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Restarts summed over containers, with the latest time one of them last finished.</summary>
    private sealed class RestartCount
    {
        private int _count;
        private DateTimeOffset? _last;

        public void Add(ContainerStatus container)
        {
            _count += container.RestartCount;
            if (container.LastState?.Terminated?.FinishedAt?.ToDateTimeOffset() is { } finished && (_last is null || finished > _last))
            {
                _last = finished;
            }
        }

        public string Format(DateTimeOffset now) =>
            _count > 0 && _last is { } last ? $"{N(_count)} ({HumanDuration.Format(now - last)} ago)" : N(_count);
    }
}
