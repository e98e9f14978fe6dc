using System.Globalization;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>The READY, STATUS and RESTARTS columns of a pod, derived as kubectl's printPod derives them.</summary>
internal static class PodStatusText
{
    public static (string Ready, string Status, string Restarts) Describe(Pod pod, DateTimeOffset now)
    {
        var status = pod.Status ?? new PodStatus();
        var reason = status.Reason.Length > 0 ? status.Reason : status.Phase.Length > 0 ? status.Phase : "Pending";
        var total = pod.Spec?.Containers.Count ?? 0;
        var ready = 0;
        var restarts = 0;
        var hasRunning = false;
        DateTimeOffset? lastRestart = null;
        for (var i = status.ContainerStatuses.Count - 1; i >= 0; i--)
        {
            var container = status.ContainerStatuses[i];
            restarts += container.RestartCount;
            if (container.LastState?.Terminated?.FinishedAt is { } finished)
            {
                var at = finished.ToDateTimeOffset();
                if (lastRestart is null || at > lastRestart)
                {
                    lastRestart = at;
                }
            }

            var state = container.State;
            if (state?.Waiting is { Reason.Length: > 0 } waiting)
            {
                reason = waiting.Reason;
            }
            else if (state?.Terminated is { } terminated)
            {
                reason = terminated.Reason.Length > 0 ? terminated.Reason
                    : terminated.Signal != 0 ? $"Signal:{terminated.Signal}" : $"ExitCode:{terminated.ExitCode}";
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

        if (pod.Metadata?.DeletionTimestamp is not null && status.Phase is not ("Succeeded" or "Failed"))
        {
            reason = "Terminating";
        }

        var restartText = restarts.ToString(CultureInfo.InvariantCulture);
        if (restarts > 0 && lastRestart is { } last)
        {
            restartText += $" ({HumanDuration.Format(now - last)} ago)";
        }

        return ($"{ready}/{total}", reason, restartText);
    }
}
