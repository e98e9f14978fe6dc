using System.Collections.Concurrent;
using HostDaemons.Agent.Events;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostDaemons.Agent.Lifecycle;

/// <summary>
/// A container's start and stop with the kubelet's semantics: postStart runs right after the start and the container
/// is not running (nor ready) for Kubernetes until it completes; when it fails the container is killed (its
/// <c>FailedPostStartHook</c> event) and takes the normal restart path. Every graceful stop runs preStop first, inside
/// the grace period: the stop signal then gets what is left of it, at least the kubelet's 2 s (none when the grace
/// period is 0, which kills at once).
/// </summary>
internal sealed partial class ContainerLifecycle(IContainerRuntime runtime, TimeProvider time, PodEventRecorder? events, ILogger<ContainerLifecycle>? logger = null)
{
    /// <summary>The kubelet's minimumGracePeriodInSeconds: a stop signal always gets this long, unless the grace period is 0.</summary>
    public static readonly TimeSpan MinimumGracePeriod = TimeSpan.FromSeconds(2);

    private readonly LifecycleHookRunner _hooks = new(runtime, time);
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<string, bool> _starting = new(StringComparer.Ordinal);

    /// <summary>True while the instance's postStart hook runs: it is not yet running for Kubernetes.</summary>
    public bool IsStarting(string containerId) => _starting.ContainsKey(containerId);

    /// <summary>Runs the container's postStart hook, if it has one, on the instance just started.</summary>
    /// <returns>False when the hook failed and the instance was killed.</returns>
    public async Task<bool> PostStartAsync(DesiredContainer container, string containerId, CancellationToken cancellationToken)
    {
        if (container.Container.Lifecycle?.PostStart is not { } handler)
        {
            return true;
        }

        var pod = container.Pod;
        var hook = LifecycleHookRunner.WithResolvedPort(handler, container.Container);
        _starting[containerId] = true;
        try
        {
            var failure = await _hooks.RunAsync(hook, Target(containerId, container.Container.Name, pod), cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                return true;
            }

            // As the kubelet: the event does not carry the hook's output, which may hold secrets; the log does.
            Log.PostStartFailed(_logger, pod.Metadata.Name, container.Container.Name, failure);
            events?.Warning(pod, "FailedPostStartHook", "PostStartHook failed", container.Container.Name);
            events?.Normal(pod, "Killing", "FailedPostStartHook", container.Container.Name);
            if (await runtime.InspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false) is { } instance)
            {
                await StopAsync(instance, DesiredPod.GracePeriodOf(pod), null, cancellationToken).ConfigureAwait(false);
            }

            return false;
        }
        finally
        {
            _starting.TryRemove(containerId, out _);
        }
    }

    /// <summary>
    /// Stops a running instance as the kubelet's killContainer: its preStop hook (kept in its labels) bounded by the
    /// grace period, then the wait for <paramref name="before"/> (containers that must stop first), then the stop
    /// signal with the rest of the grace period.
    /// </summary>
    public async Task StopAsync(RuntimeContainer instance, TimeSpan gracePeriod, Task? before, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        if (gracePeriod > TimeSpan.Zero && PreStopLabel.Read(instance.Labels) is { } preStop)
        {
            await PreStopAsync(instance, preStop, gracePeriod, cancellationToken).ConfigureAwait(false);
        }

        if (before is not null && gracePeriod - time.GetElapsedTime(started) is var left && left > TimeSpan.Zero)
        {
            try
            {
                await before.WaitAsync(left, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        await runtime.StopContainerAsync(instance.Id, Remaining(gracePeriod, time.GetElapsedTime(started)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What a stop signal gets after <paramref name="elapsed"/> of the grace period went on preStop and waiting (whole
    /// seconds, truncated, as the kubelet counts them): the rest, at least 2 s; nothing when the grace period is 0.
    /// </summary>
    public static TimeSpan Remaining(TimeSpan gracePeriod, TimeSpan elapsed)
    {
        if (gracePeriod <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var rest = gracePeriod - TimeSpan.FromSeconds(Math.Floor(elapsed.TotalSeconds));
        return rest < MinimumGracePeriod ? MinimumGracePeriod : rest;
    }

    private async Task PreStopAsync(RuntimeContainer instance, LifecycleHandler preStop, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var name = instance.Get(ContainerLabels.Container) ?? instance.Name;
        var pod = $"{instance.Get(ContainerLabels.Pod)}_{instance.Get(ContainerLabels.Namespace)}({instance.Get(ContainerLabels.PodUid)})";
        var target = new HookTarget(instance.Id, name, pod, instance.Get(ContainerLabels.HostNetwork) == "true");
        using var grace = new CancellationTokenSource(gracePeriod, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, grace.Token);
        try
        {
            if (await _hooks.RunAsync(preStop, target, bounded.Token).ConfigureAwait(false) is { } failure)
            {
                Log.PreStopFailed(_logger, pod, name, failure);
                events?.Warning(instance, "FailedPreStopHook", "PreStopHook failed");
            }
        }
        catch (OperationCanceledException) when (grace.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Log.PreStopOutOfTime(_logger, pod, name, gracePeriod.TotalSeconds);
        }
        catch (ContainerRuntimeException ex)
        {
            Log.PreStopFailed(_logger, pod, name, ex.Message);
            events?.Warning(instance, "FailedPreStopHook", "PreStopHook failed");
        }
    }

    private static HookTarget Target(string containerId, string name, Pod pod) =>
        new(containerId, name, $"{pod.Metadata.Name}_{pod.Metadata.Namespace}({pod.Metadata.Uid})", pod.Spec.HostNetwork);

    private static partial class Log
    {
        [LoggerMessage(EventId = 340, Level = LogLevel.Warning, Message = "Pod {Pod} container {Container}: postStart hook failed, killing it: {Failure}")]
        public static partial void PostStartFailed(ILogger logger, string pod, string container, string failure);

        [LoggerMessage(EventId = 341, Level = LogLevel.Warning, Message = "Pod {Pod} container {Container}: preStop hook failed: {Failure}")]
        public static partial void PreStopFailed(ILogger logger, string pod, string container, string failure);

        [LoggerMessage(EventId = 342, Level = LogLevel.Information, Message = "Pod {Pod} container {Container}: preStop hook not completed in the grace period of {Seconds} s")]
        public static partial void PreStopOutOfTime(ILogger logger, string pod, string container, double seconds);
    }
}
