using System.Diagnostics;
using System.Collections.Concurrent;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Events;
using HostDaemons.Agent.Lifecycle;
using HostDaemons.Agent.Policy;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Volumes;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Runs each pod's commands on its own task, so a slow stop or a failing image never holds up other pods; a pod
/// with work in flight is left out of later plans until that work ends, and its end wakes the reconciler. Pulls
/// authenticate with the pod's image pull secrets when <c>pullCredentials</c> is given (without it, anonymously).
/// What a container gets only when it is created (projected volumes, env values, its termination message file)
/// comes from <c>preparer</c>. Starts and stops go through <see cref="ContainerLifecycle"/> (postStart and preStop
/// hooks); consecutive stops of a plan run together, in their order (a pod's app containers before its sidecars).
/// Every container is admitted by <c>hostPolicy</c> first, before anything of it touches the host.
/// </summary>
internal sealed partial class PodWorkers(IContainerRuntime runtime, PodVolumes volumes, RestartTracker restarts, ReconcileSignal signal, ILogger<PodWorkers> logger,
    IPullCredentialSource? pullCredentials = null, PodEventRecorder? events = null, ContainerPreparer? preparer = null, ContainerLifecycle? lifecycle = null,
    HostPolicy? hostPolicy = null)
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _hooks = new(StringComparer.Ordinal);
    private readonly ContainerLifecycle _lifecycle = lifecycle ?? new ContainerLifecycle(runtime, TimeProvider.System, events);

    /// <summary>The hooks of the containers being started and stopped (what the status reads: a postStart in progress).</summary>
    public ContainerLifecycle Lifecycle => _lifecycle;

    public bool IsBusy(string podUid) => _running.TryGetValue(podUid, out var task) && !task.IsCompleted;

    public int Busy => _running.Values.Count(t => !t.IsCompleted);

    public HashSet<string> BusyPods() => [.. _running.Where(r => !r.Value.IsCompleted).Select(r => r.Key)];

    public void Start(PodPlan plan, CancellationToken cancellationToken)
    {
        if (IsBusy(plan.PodUid))
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task task = null!;
        task = Task.Run(async () =>
        {
            await started.Task.ConfigureAwait(false);
            try
            {
                await RunAsync(plan, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _running.TryRemove(new KeyValuePair<string, Task>(plan.PodUid, task));
                signal.Trigger();
            }
        }, CancellationToken.None);
        _running[plan.PodUid] = task;
        started.SetResult();
    }

    /// <summary>Waits for all work in flight (tests and shutdown).</summary>
    public Task DrainAsync() => Task.WhenAll(_running.Values);

    /// <summary>
    /// Ends the postStart hooks the pod's work is waiting for: the pod is being deleted, and a hook that never ends
    /// must not keep its containers from stopping.
    /// </summary>
    public void InterruptHooks(string podUid)
    {
        if (_hooks.TryGetValue(podUid, out var hooks))
        {
            try
            {
                hooks.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task RunAsync(PodPlan plan, CancellationToken cancellationToken)
    {
        // Download, then kill: every image is in place before anything of the pod is stopped, so a bad image or an
        // unreachable registry leaves the running version alone.
        foreach (var create in plan.Commands.OfType<CreateContainerCommand>())
        {
            if (!await TryAsync(plan, create, () => EnsureImageAsync(create.Container, cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        using var hooks = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _hooks[plan.PodUid] = hooks;
        try
        {
            var run = new PlanRun(hooks.Token);
            for (var i = 0; i < plan.Commands.Count; i++)
            {
                if (plan.Commands[i] is StopContainerCommand)
                {
                    var stops = plan.Commands.Skip(i).TakeWhile(c => c is StopContainerCommand).Cast<StopContainerCommand>().ToList();
                    if (!await StopAllAsync(plan, stops, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    i += stops.Count - 1;
                    continue;
                }

                var command = plan.Commands[i];
                Log.Executing(logger, plan.PodName, command);
                if (!await TryAsync(plan, command, () => ExecuteAsync(command, run, cancellationToken), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var key = RestartTracker.Key(plan.PodUid, command.ContainerName);
                if (command is CreateContainerCommand or StartContainerCommand or CreateSandboxCommand)
                {
                    restarts.RecordSuccess(key);
                }
            }
        }
        finally
        {
            _hooks.TryRemove(new KeyValuePair<string, CancellationTokenSource>(plan.PodUid, hooks));
        }
    }

    /// <summary>
    /// Stops run together, as the kubelet kills a pod's containers: each runs its preStop hook at once, then waits
    /// for the stops of a lower order (app containers before sidecars, the sandbox last) within its grace period.
    /// </summary>
    /// <returns>False when one failed: the rest of the pod's plan is skipped.</returns>
    private async Task<bool> StopAllAsync(PodPlan plan, List<StopContainerCommand> stops, CancellationToken cancellationToken)
    {
        var stopped = stops.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        async Task<bool> StopOneAsync(StopContainerCommand stop, int index)
        {
            try
            {
                Log.Executing(logger, plan.PodName, stop);
                var before = Task.WhenAll(stops.Select((o, i) => (o, i)).Where(x => x.o.Order < stop.Order).Select(x => stopped[x.i].Task));
                return await TryAsync(plan, stop, () => StopAsync(stop, before, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                stopped[index].TrySetResult();
            }
        }

        var results = await Task.WhenAll(stops.Select(StopOneAsync)).ConfigureAwait(false);
        return results.All(r => r);
    }

    private async Task StopAsync(StopContainerCommand stop, Task before, CancellationToken cancellationToken)
    {
        if (stop.Instance.State is ContainerRunState.Running or ContainerRunState.Restarting or ContainerRunState.Paused)
        {
            if (stop.Instance.IsSandbox())
            {
                // The pod's network goes once every container of the pod has stopped, however long they take.
                await before.WaitAsync(cancellationToken).ConfigureAwait(false);
                before = Task.CompletedTask;
            }
            else
            {
                events?.Normal(stop.Instance, "Killing", $"Stopping container {stop.ContainerName}");
            }

            await _lifecycle.StopAsync(stop.Instance, stop.GracePeriod, before, cancellationToken).ConfigureAwait(false);
        }

        await runtime.RemoveContainerAsync(stop.Instance.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <returns>False when the step failed: the failure is recorded for the container and the rest of the pod's plan is skipped.</returns>
    private async Task<bool> TryAsync(PodPlan plan, PodCommand command, Func<Task> step, CancellationToken cancellationToken)
    {
        var key = RestartTracker.Key(plan.PodUid, command.ContainerName);
        try
        {
            await step().ConfigureAwait(false);
            return true;
        }
        catch (ContainerRuntimeException ex)
        {
            Log.CommandFailed(logger, plan.PodName, command, ex.Reason, ex.Message);
            restarts.RecordFailure(key, ex.Reason, ex.Message);
            if (PodOf(command) is { } pod)
            {
                var (reason, message) = ex switch
                {
                    { Reason: HostPolicy.ViolationReason } => (ex.Reason, ex.Message),
                    _ when ex.Message.StartsWith("MountVolume.", StringComparison.Ordinal) => ("FailedMount", ex.Message),
                    _ => ("Failed", $"Error: {ex.Reason}: {ex.Message}"),
                };
                events?.Warning(pod, reason, message, command.ContainerName);
            }

            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.CommandError(logger, plan.PodName, command, ex);
            restarts.RecordFailure(key, "RunContainerError", ex.Message);
            return false;
        }
    }

    private async Task ExecuteAsync(PodCommand command, PlanRun run, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case CreateSandboxCommand sandbox:
                run.SandboxId = await CreateSandboxAsync(sandbox, cancellationToken).ConfigureAwait(false);
                break;
            case CreateContainerCommand create:
                if (create.RestartOf is { } finished)
                {
                    restarts.RecordRestart(RestartTracker.Key(create.Container.Pod.Metadata.Uid, create.ContainerName), create.Container.SpecHash, finished);
                }

                var spec = create.Container.Launch with
                {
                    Name = ContainerSpecBuilder.ContainerName(create.Container, create.Attempt),
                    Labels = new Dictionary<string, string>(create.Container.Launch.Labels, StringComparer.Ordinal)
                    {
                        [ContainerLabels.Attempt] = create.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    },
                };
                if (create.Container.JoinsSandbox)
                {
                    var sandboxId = create.SandboxId ?? run.SandboxId
                        ?? throw new ContainerRuntimeException("CreateContainerError", "the pod's sandbox is not running");
                    spec = spec with
                    {
                        NetworkMode = $"container:{sandboxId}",
                        PidMode = create.Container.SharesSandboxPid ? $"container:{sandboxId}" : spec.PidMode,
                        Labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal) { [ContainerLabels.SandboxId] = sandboxId },
                    };
                }

                spec = hostPolicy?.Admit(create.Container, spec) ?? spec;
                await RunAsNonRoot.VerifyAsync(create.Container, runtime, cancellationToken).ConfigureAwait(false);
                PrepareVolumes(create.Container);
                if (preparer is not null)
                {
                    // The pod's address, for status.podIP in env: the sandbox's, known once it runs.
                    var podIp = await PodIpAsync(create, run, cancellationToken).ConfigureAwait(false);
                    spec = await preparer.PrepareAsync(create, spec, podIp, cancellationToken).ConfigureAwait(false);
                }

                if (!create.Container.JoinsSandbox)
                {
                    WarnUnpublishedHostPorts(create.Container.Pod, [create.Container.Container]);
                }

                // A container that cannot start stays as the failed instance, so its error shows in the pod status.
                var id = await runtime.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
                restarts.Observe(RestartTracker.Key(create.Container.Pod.Metadata.Uid, create.ContainerName), create.Attempt);
                events?.Normal(create.Container.Pod, "Created", $"Created container {create.ContainerName}", create.ContainerName);
                await runtime.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
                events?.Normal(create.Container.Pod, "Started", $"Started container {create.ContainerName}", create.ContainerName);
                await PostStartAsync(create.Container, id, run, cancellationToken).ConfigureAwait(false);

                break;
            case StartContainerCommand start:
                await runtime.StartContainerAsync(start.Instance.Id, cancellationToken).ConfigureAwait(false);
                break;
            case KillContainerCommand kill:
                events?.Normal(kill.Instance, "Killing", $"Container {kill.ContainerName} {kill.Reason}, will be restarted");
                await _lifecycle.StopAsync(kill.Instance, kill.GracePeriod, null, cancellationToken).ConfigureAwait(false);
                break;
            case RemoveContainerCommand remove:
                await runtime.RemoveContainerAsync(remove.Instance.Id, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Creates and starts the pod's sandbox, importing the pause image the first time it is needed.</summary>
    private async Task<string> CreateSandboxAsync(CreateSandboxCommand command, CancellationToken cancellationToken)
    {
        var launch = command.Pod.Sandbox!;
        if (!await runtime.ImageExistsAsync(launch.Image, cancellationToken).ConfigureAwait(false))
        {
            using var rootfs = PauseImage.CreateRootfs();
            await runtime.ImportImageAsync(launch.Image, rootfs, cancellationToken).ConfigureAwait(false);
        }

        var spec = launch with
        {
            Name = ContainerSpecBuilder.ContainerName(command.Pod.Pod, ContainerLabels.SandboxContainerName, command.Attempt),
            Labels = new Dictionary<string, string>(launch.Labels, StringComparer.Ordinal)
            {
                [ContainerLabels.Attempt] = command.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        if (launch.NetworkMode == Network.PodNetwork.None)
        {
            WarnUnpublishedHostPorts(command.Pod.Pod, command.Pod.LongRunning.Select(c => c.Container));
        }

        var id = await runtime.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
        await runtime.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// The pod's address for a container about to join its sandbox, when its env reads it; null without a sandbox or
    /// without an address (network none).
    /// </summary>
    private async Task<string?> PodIpAsync(CreateContainerCommand create, PlanRun run, CancellationToken cancellationToken)
    {
        if (!create.Container.JoinsSandbox || !ContainerSpecBuilder.UsesPodIp(create.Container.Container)
            || (create.SandboxId ?? run.SandboxId) is not { } sandboxId)
        {
            return null;
        }

        var sandbox = await runtime.InspectContainerAsync(sandboxId, cancellationToken).ConfigureAwait(false);
        return sandbox is { IpAddresses: [var address, ..] } ? address : null;
    }

    /// <summary>Runs the postStart hook; a pod being deleted ends it, and its plan then stops the container.</summary>
    private async Task PostStartAsync(DesiredContainer container, string containerId, PlanRun run, CancellationToken cancellationToken)
    {
        try
        {
            await _lifecycle.PostStartAsync(container, containerId, run.Hooks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.Hooks.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Log.PostStartInterrupted(logger, container.Pod.Metadata.Name, container.Container.Name);
        }
    }

    /// <summary>
    /// hostPorts of a pod without hostNetwork are published on its sandbox; on network none there is nothing to publish
    /// them on, and the pod says so.
    /// </summary>
    private void WarnUnpublishedHostPorts(Model.V1.Pod pod, IEnumerable<Model.V1.Container> containers)
    {
        if (pod.Spec.HostNetwork || events is null)
        {
            return;
        }

        foreach (var container in containers)
        {
            foreach (var port in container.Ports.Where(p => p.HostPort > 0))
            {
                var protocol = port.Protocol.Length == 0 ? "TCP" : port.Protocol;
                events.Warning(pod, "HostPortNotPublished",
                    $"hostPort {port.HostPort}/{protocol} of container {container.Name} is not published: the node's pod network is none (start the agent with --pod-network bridge or another Docker network to publish it)",
                    container.Name);
            }
        }
    }

    private void PrepareVolumes(DesiredContainer container)
    {
        try
        {
            volumes.Prepare(container);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ContainerRuntimeException("CreateContainerConfigError", $"preparing the volumes of container {container.Container.Name} failed: {ex.Message}", ex);
        }
    }

    /// <summary>IfNotPresent (the default) pulls only a missing image; Always pulls but runs a local copy when the
    /// registry cannot be reached; Never never pulls.</summary>
    private async Task EnsureImageAsync(DesiredContainer container, CancellationToken cancellationToken)
    {
        var image = container.Launch.Image;
        var policy = container.Container.ImagePullPolicy;
        var present = await runtime.ImageExistsAsync(image, cancellationToken).ConfigureAwait(false);
        var name = container.Container.Name;
        switch (policy)
        {
            case "Never" when !present:
                throw new ContainerRuntimeException("ErrImageNeverPull", $"Container image \"{image}\" is not present with pull policy of Never") { IsNotFound = true };
            case "Always":
                try
                {
                    await PullAsync(container, cancellationToken).ConfigureAwait(false);
                }
                catch (ContainerRuntimeException ex) when (present)
                {
                    Log.PullFailedUsingLocal(logger, image, ex.Message);
                    events?.Warning(container.Pod, "Failed", $"Failed to pull image \"{image}\": {ex.Message}; running the local copy", name);
                }

                break;
            case not "Never" when !present:
                await PullAsync(container, cancellationToken).ConfigureAwait(false);
                break;
            default:
                events?.Normal(container.Pod, "Pulled", $"Container image \"{image}\" already present on machine", name);
                break;
        }
    }

    /// <summary>Pulls with the credential of the pod's image pull secrets that matches the image's registry, if any.</summary>
    private async Task PullAsync(DesiredContainer container, CancellationToken cancellationToken)
    {
        var image = container.Launch.Image;
        RegistryCredential? credential = null;
        if (pullCredentials is not null && container.Pod.Spec.ImagePullSecrets.Count > 0)
        {
            var credentials = await pullCredentials.GetAsync(container.Pod, cancellationToken).ConfigureAwait(false);
            credential = RegistryCredentials.Match(image, credentials);
            if (credential is null)
            {
                Log.NoMatchingCredential(logger, image, credentials.Count);
            }
            else
            {
                Log.PullingWithCredential(logger, image, credential.Server, credential.Source);
            }
        }

        events?.Normal(container.Pod, "Pulling", $"Pulling image \"{image}\"", container.Container.Name);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await runtime.PullImageAsync(image, credential, cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerRuntimeException ex)
        {
            events?.Warning(container.Pod, "Failed", $"Failed to pull image \"{image}\": {ex.Message}", container.Container.Name);
            throw;
        }

        var took = Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        events?.Normal(container.Pod, "Pulled", $"Successfully pulled image \"{image}\" in {took}s", container.Container.Name);
    }

    private static Model.V1.Pod? PodOf(PodCommand command) => command switch
    {
        CreateContainerCommand create => create.Container.Pod,
        CreateSandboxCommand sandbox => sandbox.Pod.Pod,
        _ => null,
    };

    /// <summary>What one run of a pod's plan learns as it goes (the sandbox it created), and what ends its postStart hooks.</summary>
    private sealed class PlanRun(CancellationToken hooks)
    {
        public string? SandboxId { get; set; }

        public CancellationToken Hooks => hooks;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Pod {Pod}: {Command}")]
        public static partial void Executing(ILogger logger, string pod, PodCommand command);

        [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Pod {Pod}: {Command} failed: {Reason}: {Message}")]
        public static partial void CommandFailed(ILogger logger, string pod, PodCommand command, string reason, string message);

        [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "Pod {Pod}: {Command} failed")]
        public static partial void CommandError(ILogger logger, string pod, PodCommand command, Exception exception);

        [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Pulling image {Image} failed ({Message}); running the local copy")]
        public static partial void PullFailedUsingLocal(ILogger logger, string image, string message);

        [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Pod {Pod} container {Container}: postStart hook interrupted, the pod is being deleted")]
        public static partial void PostStartInterrupted(ILogger logger, string pod, string container);

        [LoggerMessage(EventId = 420, Level = LogLevel.Debug, Message = "Pulling image {Image} with the credentials for {Server} of secret {Secret}")]
        public static partial void PullingWithCredential(ILogger logger, string image, string server, string secret);

        [LoggerMessage(EventId = 421, Level = LogLevel.Debug, Message = "None of the {Count} image pull credentials matches the registry of {Image}: pulling anonymously")]
        public static partial void NoMatchingCredential(ILogger logger, string image, int count);
    }
}
