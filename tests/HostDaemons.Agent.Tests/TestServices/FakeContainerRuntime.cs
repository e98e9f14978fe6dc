using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Tests.TestServices;

/// <summary>One call made to the <see cref="FakeContainerRuntime"/>: the method, what it acted on, and the grace period of a stop.</summary>
internal sealed record RuntimeCall(string Method, string Target, TimeSpan? GracePeriod = null)
{
    public const string List = "list";
    public const string ImageExists = "image-exists";
    public const string Pull = "pull";
    public const string Create = "create";
    public const string Start = "start";
    public const string Stop = "stop";
    public const string Remove = "remove";
    public const string Logs = "logs";
    public const string Info = "info";
    public const string Exec = "exec";

    /// <summary>True for the calls that change the engine: pull, create, start, stop and remove.</summary>
    public bool IsChange => Method is Pull or Create or Start or Stop or Remove;

    public override string ToString() => GracePeriod is { } grace ? $"{Method} {Target} ({grace.TotalSeconds}s)" : $"{Method} {Target}";
}

/// <summary>
/// An in-memory container engine: containers with ids, names, labels and a state that create, start, stop and remove
/// change; a set of local images; pulls that can fail or wait; engine events on a channel; and a log of every call.
/// The events go to one channel, so one watcher at a time sees them (as the agent has one).
/// </summary>
internal sealed class FakeContainerRuntime : IContainerRuntime
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, RuntimeContainer> _containers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContainerLaunchSpec> _specs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _logs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _localImages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _imageUsers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _networks = new(StringComparer.Ordinal) { "host", "none" };
    private readonly Dictionary<string, string> _pullFailures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Username, string Password)> _privateImages = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Image, RegistryCredential? Credential)> _pulls = new();
    private readonly Dictionary<string, string> _startFailures = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RuntimeCall> _calls = new();
    private readonly Channel<RuntimeEvent> _events = Channel.CreateUnbounded<RuntimeEvent>();
    private TaskCompletionSource? _pullGate;
    private TaskCompletionSource _pullStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;
    private int _nextPid;
    private int _nextAddress;

    public FakeContainerRuntime(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Every call so far, in order.</summary>
    public IReadOnlyList<RuntimeCall> Calls => [.. _calls];

    /// <summary>The calls that changed something (pull, create, start, stop, remove): empty means "nothing was restarted".</summary>
    public IReadOnlyList<RuntimeCall> Changes => [.. _calls.Where(c => c.IsChange)];

    /// <summary>Every pull so far, with the credential it was given.</summary>
    public IReadOnlyList<(string Image, RegistryCredential? Credential)> Pulls => [.. _pulls];

    /// <summary>The exit code a container gets when it is stopped.</summary>
    public int StopExitCode { get; set; }

    /// <summary>How <see cref="ExecAsync"/> answers a command in a container; by default it exits 0.</summary>
    public Func<RuntimeContainer, IReadOnlyList<string>, ExecResult> ExecHandler { get; set; } = (_, _) => new ExecResult(0, "");

    /// <summary>When set, <see cref="ListContainersAsync"/> throws it (the engine is unreachable).</summary>
    public Exception? ListFailure { get; set; }

    /// <summary>Every container, in creation order.</summary>
    public IReadOnlyList<RuntimeContainer> Containers
    {
        get
        {
            lock (_lock)
            {
                return [.. _containers.Values];
            }
        }
    }

    public void ClearCalls() => _calls.Clear();

    public RuntimeContainer Get(string id)
    {
        lock (_lock)
        {
            return _containers[id];
        }
    }

    public bool Exists(string id)
    {
        lock (_lock)
        {
            return _containers.ContainsKey(id);
        }
    }

    /// <summary>The launch spec a container was created from.</summary>
    public ContainerLaunchSpec SpecOf(string id)
    {
        lock (_lock)
        {
            return _specs[id];
        }
    }

    public void AddLocalImage(string image)
    {
        lock (_lock)
        {
            _localImages.Add(image);
        }
    }

    /// <summary>The image's configured user (Docker's <c>Config.User</c>); none by default.</summary>
    public void SetImageUser(string image, string user)
    {
        lock (_lock)
        {
            _imageUsers[image] = user;
        }
    }

    /// <summary>Adds a Docker network: containers started on it get an address 10.88.0.N.</summary>
    public void AddNetwork(string name)
    {
        lock (_lock)
        {
            _networks.Add(name);
        }
    }

    public bool HasLocalImage(string image)
    {
        lock (_lock)
        {
            return _localImages.Contains(image);
        }
    }

    /// <summary>Pulls of <paramref name="image"/> fail with ErrImagePull until <see cref="AllowPull"/>.</summary>
    public void FailPull(string image, string message = "manifest unknown")
    {
        lock (_lock)
        {
            _pullFailures[image] = message;
        }
    }

    public void AllowPull(string image)
    {
        lock (_lock)
        {
            _pullFailures.Remove(image);
        }
    }

    /// <summary>Starting a container of <paramref name="image"/> fails (as a missing bind source would) until <see cref="AllowStart"/>.</summary>
    public void FailStart(string image, string error)
    {
        lock (_lock)
        {
            _startFailures[image] = error;
        }
    }

    public void AllowStart(string image)
    {
        lock (_lock)
        {
            _startFailures.Remove(image);
        }
    }

    /// <summary>Makes every pull wait until <see cref="ReleasePulls"/>: a slow registry.</summary>
    public void BlockPulls()
    {
        lock (_lock)
        {
            _pullGate ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void ReleasePulls()
    {
        TaskCompletionSource? gate;
        lock (_lock)
        {
            gate = _pullGate;
            _pullGate = null;
        }

        gate?.TrySetResult();
    }

    /// <summary>Completes when a pull has begun (and, with <see cref="BlockPulls"/>, is waiting).</summary>
    public Task PullStarted
    {
        get
        {
            lock (_lock)
            {
                return _pullStarted.Task;
            }
        }
    }

    public void SetLogs(string id, string text)
    {
        lock (_lock)
        {
            _logs[id] = Encoding.UTF8.GetBytes(text);
        }
    }

    /// <summary>Puts a container straight into the engine (one left by an earlier agent, or made by hand), without recording a call.</summary>
    public RuntimeContainer Seed(RuntimeContainer container)
    {
        lock (_lock)
        {
            _containers[container.Id] = container;
        }

        return container;
    }

    /// <summary>The container's process ends with <paramref name="exitCode"/> at <paramref name="at"/> (default: now).</summary>
    public RuntimeContainer SimulateExit(string id, int exitCode, DateTimeOffset? at = null, bool oomKilled = false, string? error = null)
    {
        RuntimeContainer exited;
        lock (_lock)
        {
            exited = _containers[id] with
            {
                State = ContainerRunState.Exited,
                ExitCode = exitCode,
                FinishedAt = at ?? _time.GetUtcNow(),
                Pid = 0,
                IpAddresses = [],
                OomKilled = oomKilled,
                Error = error,
            };
            _containers[id] = exited;
        }

        if (oomKilled)
        {
            Publish(exited, "oom");
        }

        Publish(exited, "die");
        return exited;
    }

    /// <summary>Changes a container's state behind the agent's back (docker pause, a restarting engine policy...).</summary>
    public RuntimeContainer SetState(string id, ContainerRunState state)
    {
        lock (_lock)
        {
            var changed = _containers[id] with { State = state };
            _containers[id] = changed;
            return changed;
        }
    }

    /// <summary>Ends the event streams, as a restarting engine does.</summary>
    public void CompleteEvents(Exception? error = null) => _events.Writer.TryComplete(error);

    public Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        Record(RuntimeCall.Info, "");
        return Task.FromResult(new RuntimeInfo("fake", "1.0.0", "1.47", "linux", "x86_64", "6.1.0", "Fake Linux"));
    }

    public Task<IReadOnlyList<RuntimeContainer>> ListContainersAsync(string nodeName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Record(RuntimeCall.List, nodeName);
        if (ListFailure is { } failure)
        {
            return Task.FromException<IReadOnlyList<RuntimeContainer>>(failure);
        }

        lock (_lock)
        {
            IReadOnlyList<RuntimeContainer> mine = [.. _containers.Values.Where(c => c.Get(ContainerLabels.Node) == nodeName)];
            return Task.FromResult(mine);
        }
    }

    public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken)
    {
        Record(RuntimeCall.ImageExists, image);
        return Task.FromResult(HasLocalImage(image));
    }

    public Task<string> GetImageUserAsync(string image, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_imageUsers.GetValueOrDefault(image, ""));
        }
    }

    public Task<RuntimeContainer?> InspectContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_containers.GetValueOrDefault(containerId));
        }
    }

    public Task<bool> NetworkExistsAsync(string network, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_networks.Contains(network));
        }
    }

    /// <summary>Pulls of <paramref name="image"/> fail as a private registry refuses them unless they carry these credentials.</summary>
    public void RequireCredential(string image, string username, string password)
    {
        lock (_lock)
        {
            _privateImages[image] = (username, password);
        }
    }

    public Task PullImageAsync(string image, CancellationToken cancellationToken) => PullImageAsync(image, null, cancellationToken);

    public Task ImportImageAsync(string image, Stream rootfs, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _localImages.Add(image);
        }

        return Task.CompletedTask;
    }

    public async Task PullImageAsync(string image, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        Record(RuntimeCall.Pull, image);
        _pulls.Enqueue((image, credential));
        Task? gate;
        lock (_lock)
        {
            gate = _pullGate?.Task;
            _pullStarted.TrySetResult();
            _pullStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        lock (_lock)
        {
            if (_privateImages.TryGetValue(image, out var required) && (credential?.Username, credential?.Password) != (required.Username, required.Password))
            {
                throw new ContainerRuntimeException("ErrImagePull", $"Failed to pull image \"{image}\": unauthorized: authentication required");
            }

            if (_pullFailures.TryGetValue(image, out var message))
            {
                throw new ContainerRuntimeException("ErrImagePull", $"Failed to pull image \"{image}\": {message}") { IsNotFound = true };
            }

            _localImages.Add(image);
        }
    }

    public Task<string> CreateContainerAsync(ContainerLaunchSpec spec, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Record(RuntimeCall.Create, spec.Name);
        RuntimeContainer created;
        lock (_lock)
        {
            if (!_localImages.Contains(spec.Image))
            {
                throw new ContainerRuntimeException("ErrImageNeverPulled", $"Image \"{spec.Image}\" is not present on the node: No such image: {spec.Image}") { IsNotFound = true };
            }

            if (_containers.Values.Any(c => c.Name == spec.Name))
            {
                throw new ContainerRuntimeException("CreateContainerError", $"Conflict. The container name \"/{spec.Name}\" is already in use.");
            }

            var id = NewId();
            created = new RuntimeContainer
            {
                Id = id,
                Name = spec.Name,
                Image = spec.Image,
                ImageId = ImageId(spec.Image),
                Labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal),
                State = ContainerRunState.Created,
                CreatedAt = _time.GetUtcNow(),
            };
            _containers[id] = created;
            _specs[id] = spec;
        }

        Publish(created, "create");
        return Task.FromResult(created.Id);
    }

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Record(RuntimeCall.Start, containerId);
        RuntimeContainer started;
        lock (_lock)
        {
            if (!_containers.TryGetValue(containerId, out var container))
            {
                throw new ContainerRuntimeException("RunContainerError", $"No such container: {containerId}") { IsNotFound = true };
            }

            if (container.State == ContainerRunState.Running)
            {
                return Task.CompletedTask;
            }

            if (_startFailures.TryGetValue(container.Image, out var error))
            {
                // Like the engine: the container stays created, with the error and exit code 128.
                _containers[containerId] = container with { Error = error, ExitCode = 128 };
                throw new ContainerRuntimeException("RunContainerError", error);
            }

            started = container with
            {
                State = ContainerRunState.Running,
                StartedAt = _time.GetUtcNow(),
                FinishedAt = null,
                Pid = 1000 + Interlocked.Increment(ref _nextPid),
                IpAddresses = _specs.TryGetValue(containerId, out var spec) && _networks.Contains(spec.NetworkMode) && spec.NetworkMode is not ("none" or "host")
                    ? [string.Create(CultureInfo.InvariantCulture, $"10.88.0.{Interlocked.Increment(ref _nextAddress) + 1}")]
                    : [],
                ExitCode = 0,
                Error = null,
                OomKilled = false,
            };
            _containers[containerId] = started;
        }

        Publish(started, "start");
        return Task.CompletedTask;
    }

    public Task StopContainerAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Record(RuntimeCall.Stop, containerId, gracePeriod);
        RuntimeContainer? stopped = null;
        lock (_lock)
        {
            if (_containers.TryGetValue(containerId, out var container) && container.State == ContainerRunState.Running)
            {
                stopped = container with { State = ContainerRunState.Exited, ExitCode = StopExitCode, FinishedAt = _time.GetUtcNow(), Pid = 0, IpAddresses = [] };
                _containers[containerId] = stopped;
            }
        }

        if (stopped is not null)
        {
            Publish(stopped, "kill");
            Publish(stopped, "die");
            Publish(stopped, "stop");
        }

        return Task.CompletedTask;
    }

    public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Record(RuntimeCall.Remove, containerId);
        RuntimeContainer? removed;
        lock (_lock)
        {
            _containers.Remove(containerId, out removed);
            _specs.Remove(containerId);
        }

        if (removed is not null)
        {
            Publish(removed, "destroy");
        }

        return Task.CompletedTask;
    }

    public Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Record(RuntimeCall.Exec, containerId);
        RuntimeContainer? container;
        lock (_lock)
        {
            container = _containers.GetValueOrDefault(containerId);
        }

        if (container is null)
        {
            throw new ContainerRuntimeException("NotFound", $"No such container: {containerId}") { IsNotFound = true };
        }

        if (container.State != ContainerRunState.Running)
        {
            throw new ContainerRuntimeException("ExecError", $"container {containerId} is not running");
        }

        return Task.FromResult(ExecHandler(container, command));
    }

    public async IAsyncEnumerable<RuntimeEvent> WatchEventsAsync(string nodeName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var runtimeEvent in _events.Reader.ReadAllAsync(cancellationToken))
        {
            if (runtimeEvent.Labels.GetValueOrDefault(ContainerLabels.Node) == nodeName)
            {
                yield return runtimeEvent;
            }
        }
    }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadLogsAsync(string containerId, LogReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Record(RuntimeCall.Logs, containerId);
        byte[]? logs;
        lock (_lock)
        {
            if (!_containers.ContainsKey(containerId))
            {
                throw new ContainerRuntimeException("NotFound", $"No such container: {containerId}") { IsNotFound = true };
            }

            logs = _logs.GetValueOrDefault(containerId);
        }

        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        if (logs is { Length: > 0 })
        {
            yield return logs;
        }
    }

    private void Record(string method, string target, TimeSpan? grace = null) => _calls.Enqueue(new RuntimeCall(method, target, grace));

    private void Publish(RuntimeContainer container, string action) =>
        _events.Writer.TryWrite(new RuntimeEvent(container.Id, action, new Dictionary<string, string>(container.Labels, StringComparer.Ordinal)));

    private string NewId()
    {
        var n = Interlocked.Increment(ref _nextId);
        return "c" + n.ToString("D4", CultureInfo.InvariantCulture) + new string('0', 59);
    }

    private static string ImageId(string image) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image)));
}
