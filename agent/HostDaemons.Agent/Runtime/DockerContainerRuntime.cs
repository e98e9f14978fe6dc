using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace HostDaemons.Agent.Runtime;

/// <summary><see cref="IContainerRuntime"/> over the Docker Engine API (Docker.DotNet.Enhanced).</summary>
internal sealed class DockerContainerRuntime : IContainerRuntime, IDisposable
{
    /// <summary>
    /// Bounds plain request/response calls. The library sends stop, pull, logs and events without
    /// this timeout (they last as long as the engine needs), so a long grace period is honoured.
    /// </summary>
    private static readonly TimeSpan s_defaultRequestTimeout = TimeSpan.FromSeconds(100);

    private readonly DockerClient _client;
    private readonly ILogger<DockerContainerRuntime> _logger;
    private readonly ConcurrentDictionary<string, CachedInspection> _inspections = new(StringComparer.Ordinal);

    public DockerContainerRuntime(Uri endpoint, ILogger<DockerContainerRuntime> logger)
        : this(endpoint, s_defaultRequestTimeout, logger)
    {
    }

    internal DockerContainerRuntime(Uri endpoint, TimeSpan requestTimeout, ILogger<DockerContainerRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(logger);

        _logger = logger;
        _client = new DockerClientBuilder()
            .WithEndpoint(endpoint)
            .WithTimeout(requestTimeout)
            .Build();
    }

    public async Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var version = await _client.System.GetVersionAsync(cancellationToken);
        var info = await _client.System.GetSystemInfoAsync(cancellationToken);

        return new RuntimeInfo(
            Name: "docker",
            Version: version.Version ?? info.ServerVersion ?? "",
            ApiVersion: version.APIVersion ?? "",
            OperatingSystem: version.Os ?? info.OSType ?? "",
            Architecture: version.Arch ?? "",
            KernelVersion: version.KernelVersion ?? info.KernelVersion ?? "",
            OsImage: info.OperatingSystem ?? "");
    }

    public async Task<IReadOnlyList<RuntimeContainer>> ListContainersAsync(string nodeName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);

        IList<ContainerListResponse> summaries;
        try
        {
            summaries = await _client.Containers.ListContainersAsync(
                new ContainersListParameters { All = true, Filters = LabelFilter(nodeName) },
                cancellationToken);
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            throw new ContainerRuntimeException("ListContainersError", $"listing containers failed: {(ex is DockerApiException api ? EngineMessage(api) : ex.Message)}", ex);
        }

        var containers = new List<RuntimeContainer>(summaries.Count);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var inspected = 0;
        foreach (var summary in summaries)
        {
            listed.Add(summary.ID);

            // The list has no start/finish times or exit details; its State and Status strings
            // ("Up 3 minutes", "Exited (1) 2 seconds ago") change whenever those do.
            if (_inspections.TryGetValue(summary.ID, out var cached)
                && string.Equals(cached.State, summary.State, StringComparison.Ordinal)
                && string.Equals(cached.Status, summary.Status, StringComparison.Ordinal))
            {
                containers.Add(cached.Container);
                continue;
            }

            ContainerInspectResponse inspection;
            try
            {
                inspection = await _client.Containers.InspectContainerAsync(summary.ID, cancellationToken);
            }
            catch (DockerContainerNotFoundException)
            {
                _inspections.TryRemove(summary.ID, out _);
                DockerLog.ContainerVanished(_logger, summary.ID);
                continue;
            }
            catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or TimeoutException)
            {
                throw new ContainerRuntimeException("InspectContainerError", $"inspecting container {summary.ID} failed: {(ex is DockerApiException api ? EngineMessage(api) : ex.Message)}", ex);
            }

            inspected++;
            var container = ToRuntimeContainer(summary, inspection);
            _inspections[summary.ID] = new CachedInspection(nodeName, summary.State, summary.Status, container);
            containers.Add(container);
        }

        foreach (var (id, entry) in _inspections)
        {
            if (string.Equals(entry.NodeName, nodeName, StringComparison.Ordinal) && !listed.Contains(id))
            {
                _inspections.TryRemove(id, out _);
            }
        }

        DockerLog.ContainersListed(_logger, containers.Count, nodeName, inspected);
        return containers;
    }

    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);

        try
        {
            await _client.Images.InspectImageAsync(image, cancellationToken);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException("ImageInspectError", EngineMessage(ex), ex);
        }
    }

    public Task PullImageAsync(string image, CancellationToken cancellationToken) => PullImageAsync(image, null, cancellationToken);

    public async Task<string> GetImageUserAsync(string image, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);

        try
        {
            var inspection = await _client.Images.InspectImageAsync(image, cancellationToken);
            return inspection.Config?.User ?? "";
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException("CreateContainerConfigError", $"inspecting image \"{image}\" failed: {EngineMessage(ex)}", ex);
        }
    }

    public async Task<RuntimeContainer?> InspectContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);

        try
        {
            var inspection = await _client.Containers.InspectContainerAsync(containerId, cancellationToken);
            return ToRuntimeContainer(new ContainerListResponse { ID = inspection.ID }, inspection);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException("InspectContainerError", EngineMessage(ex), ex);
        }
    }

    public async Task<bool> NetworkExistsAsync(string network, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(network);

        try
        {
            await _client.Networks.InspectNetworkAsync(network, cancellationToken);
            return true;
        }
        catch (DockerNetworkNotFoundException)
        {
            return false;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task ImportImageAsync(string image, Stream rootfs, CancellationToken cancellationToken)
    {
        var (repository, tag) = DockerImageReference.Split(image);
        try
        {
            await _client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromSrc = "-", Repo = repository, Tag = tag },
                rootfs, null, new Progress<JSONMessage>(), cancellationToken);
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException("ErrImageImport", $"importing {image} failed: {EngineMessage(ex)}", ex);
        }
    }

    public async Task PullImageAsync(string image, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);

        var (repository, tagOrDigest) = DockerImageReference.Split(image);
        string? streamError = null;
        var progress = new SynchronousProgress<JSONMessage>(message =>
        {
            // Failures after the engine has answered 200 only show up as a message in the stream.
            if (message.Error?.Message is { Length: > 0 } error)
            {
                streamError ??= error;
            }
        });

        DockerLog.PullingImage(_logger, image);
        try
        {
            await _client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromImage = repository, Tag = tagOrDigest },
                AuthConfigFor(credential),
                progress,
                cancellationToken);
        }
        catch (DockerApiException ex)
        {
            throw PullFailed(image, EngineMessage(ex), ex.StatusCode == HttpStatusCode.NotFound, ex);
        }

        if (streamError is not null)
        {
            throw PullFailed(image, streamError, notFound: false, innerException: null);
        }

        DockerLog.PulledImage(_logger, image);
    }

    public async Task<string> CreateContainerAsync(ContainerLaunchSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);

        var parameters = new CreateContainerParameters
        {
            Name = spec.Name,
            Image = spec.Image,
            Env = [.. spec.Environment],
            Labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal),
            Tty = false,
            OpenStdin = false,
            StdinOnce = false,
            AttachStdin = false,
            AttachStdout = false,
            AttachStderr = false,
            HostConfig = new HostConfig
            {
                Binds = [.. spec.Binds.Select(FormatBind)],
                Memory = spec.MemoryLimitBytes ?? 0,
                // Like the kubelet: no swap on top of the memory limit.
                MemorySwap = spec.MemoryLimitBytes ?? 0,
                NanoCPUs = spec.NanoCpus ?? 0,
                CPUShares = spec.CpuShares ?? 0,
                NetworkMode = spec.NetworkMode,
                PidMode = spec.PidMode,
                Privileged = spec.Privileged,
                CapAdd = [.. spec.CapAdd],
                CapDrop = [.. spec.CapDrop],
                GroupAdd = [.. spec.GroupAdd],
                ReadonlyRootfs = spec.ReadOnlyRootFilesystem,
                DNS = [.. spec.DnsServers],
                DNSSearch = [.. spec.DnsSearches],
                DNSOptions = [.. spec.DnsOptions],
                // The agent restarts containers itself, following the pod's restart policy.
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
            },
        };

        if (spec.User.Length > 0)
        {
            parameters.User = spec.User;
        }

        if (spec.ExposedPorts.Count > 0)
        {
            parameters.ExposedPorts = spec.ExposedPorts.ToDictionary(p => p, _ => new EmptyStruct(), StringComparer.Ordinal);
        }

        DockerPodOptions.Apply(spec, parameters);
        if (spec.LogLimits is { } limits)
        {
            parameters.HostConfig.LogConfig = new LogConfig
            {
                Type = "json-file",
                Config = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["max-size"] = limits.MaxSize,
                    ["max-file"] = limits.MaxFiles.ToString(CultureInfo.InvariantCulture),
                },
            };
        }

        // Left unset, the image's entrypoint, cmd and working directory apply.
        if (spec.Entrypoint is not null)
        {
            parameters.Entrypoint = [.. spec.Entrypoint];
        }

        if (spec.Arguments is not null)
        {
            parameters.Cmd = [.. spec.Arguments];
        }

        if (!string.IsNullOrEmpty(spec.WorkingDirectory))
        {
            parameters.WorkingDir = spec.WorkingDirectory;
        }

        CreateContainerResponse response;
        try
        {
            response = await _client.Containers.CreateContainerAsync(parameters, cancellationToken);
        }
        catch (DockerImageNotFoundException ex)
        {
            throw new ContainerRuntimeException(
                "ErrImageNeverPulled",
                string.Create(CultureInfo.InvariantCulture, $"Image \"{spec.Image}\" is not present on the node: {EngineMessage(ex)}"),
                ex)
            {
                IsNotFound = true,
            };
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException("CreateContainerError", EngineMessage(ex), ex);
        }

        if (response.Warnings is { Count: > 0 } warnings)
        {
            foreach (var warning in warnings)
            {
                DockerLog.CreateWarning(_logger, spec.Name, warning);
            }
        }

        DockerLog.ContainerCreated(_logger, spec.Name, response.ID, spec.Image);
        return response.ID;
    }

    public async Task StartContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);

        try
        {
            await _client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken);
        }
        catch (DockerContainerNotFoundException ex)
        {
            throw new ContainerRuntimeException("RunContainerError", EngineMessage(ex), ex) { IsNotFound = true };
        }
        catch (DockerApiException ex)
        {
            throw MountPropagation.IsUnsharedSourceError(EngineMessage(ex))
                ? MountPropagation.UnsharedSource(EngineMessage(ex), ex)
                : new ContainerRuntimeException("RunContainerError", EngineMessage(ex), ex);
        }

        DockerLog.ContainerStarted(_logger, containerId);
    }

    public async Task StopContainerAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);

        var graceSeconds = gracePeriod <= TimeSpan.Zero
            ? 0u
            : (uint)Math.Min(Math.Ceiling(gracePeriod.TotalSeconds), uint.MaxValue);
        DockerLog.StoppingContainer(_logger, containerId, graceSeconds);
        if (graceSeconds == 0)
        {
            await KillNowAsync(containerId, cancellationToken);
            return;
        }

        try
        {
            // An already stopped container answers 304, which the library reports as false, not as an error.
            await _client.Containers.StopContainerAsync(
                containerId,
                new ContainerStopParameters { WaitBeforeKillSeconds = graceSeconds },
                cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            DockerLog.StopMissing(_logger, containerId);
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException("KillContainerError", EngineMessage(ex), ex);
        }
    }

    /// <summary>
    /// A stop without grace: SIGKILL, then wait for the exit, as <c>docker stop -t 0</c>. The library leaves a zero
    /// <c>t</c> out of the stop request (it skips default values), so the engine would apply its own 10 s default.
    /// </summary>
    private async Task KillNowAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Containers.KillContainerAsync(containerId, new ContainerKillParameters { Signal = "SIGKILL" }, cancellationToken);
            await _client.Containers.WaitContainerAsync(containerId, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            DockerLog.StopMissing(_logger, containerId);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // "Container ... is not running": already stopped, as a stop of a stopped container is.
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException("KillContainerError", EngineMessage(ex), ex);
        }
    }

    public async Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);

        try
        {
            await _client.Containers.RemoveContainerAsync(
                containerId,
                new ContainerRemoveParameters { Force = true, RemoveVolumes = true },
                cancellationToken);
            DockerLog.ContainerRemoved(_logger, containerId);
        }
        catch (DockerContainerNotFoundException)
        {
            DockerLog.RemoveMissing(_logger, containerId);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict
            && EngineMessage(ex).Contains("already in progress", StringComparison.OrdinalIgnoreCase))
        {
            DockerLog.RemoveMissing(_logger, containerId);
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException("RemoveContainerError", EngineMessage(ex), ex);
        }
        finally
        {
            _inspections.TryRemove(containerId, out _);
        }
    }

    public async Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentNullException.ThrowIfNull(command);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var created = await _client.Exec.CreateContainerExecAsync(
                containerId,
                new ContainerExecCreateParameters { Cmd = [.. command], AttachStdout = true, AttachStderr = true },
                deadline.Token);
            string output;
            using (var stream = await _client.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters(), deadline.Token))
            {
                output = await ReadCappedAsync(stream, deadline.Token);
            }

            // The attach stream can close a moment before the engine records the exit code.
            while (true)
            {
                var exec = await _client.Exec.InspectContainerExecAsync(created.ID, deadline.Token);
                if (!exec.Running && exec.ExitCode is { } exitCode)
                {
                    return new ExecResult((int)exitCode, output);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
            }
        }
        catch (Exception ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            && ex is OperationCanceledException or IOException)
        {
            return new ExecResult(-1, "", TimedOut: true);
        }
        catch (DockerContainerNotFoundException ex)
        {
            throw new ContainerRuntimeException("NotFound", EngineMessage(ex), ex) { IsNotFound = true };
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException("ExecError", EngineMessage(ex), ex);
        }
    }

    public async IAsyncEnumerable<RuntimeEvent> WatchEventsAsync(string nodeName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);

        var channel = Channel.CreateUnbounded<RuntimeEvent>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var filters = LabelFilter(nodeName);
        filters["type"] = new Dictionary<string, bool>(StringComparer.Ordinal) { ["container"] = true };
        var parameters = new ContainerEventsParameters
        {
            // Replays what happened since this call, so nothing is lost while the stream connects.
            Since = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            Filters = filters,
        };

        using var monitorCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        DockerLog.WatchingEvents(_logger, nodeName);
        var monitor = MonitorEventsAsync(nodeName, parameters, channel.Writer, monitorCancellation.Token);
        try
        {
            await foreach (var runtimeEvent in channel.Reader.ReadAllAsync(cancellationToken))
            {
                // The engine's list view can lag behind its events (a container that just died may still be listed as
                // running, with the same status text): the next list inspects the container again.
                _inspections.TryRemove(runtimeEvent.ContainerId, out _);
                yield return runtimeEvent;
            }
        }
        finally
        {
            await monitorCancellation.CancelAsync();
            await monitor;
        }
    }

    /// <summary>Docker's <c>since</c>: Unix seconds with a fraction of nanoseconds (<c>1700000000.123456700</c>).</summary>
    private static string UnixTime(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var fraction);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{fraction * 100:D9}");
    }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadLogsAsync(
        string containerId,
        LogReadOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentNullException.ThrowIfNull(options);

        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Follow = options.Follow,
            Timestamps = options.Timestamps,
            Tail = options.TailLines is >= 0 and var tail ? tail.ToString(CultureInfo.InvariantCulture) : "all",
            Since = options.Since is { } since ? UnixTime(since) : null,
        };

        MultiplexedStream stream;
        try
        {
            stream = await _client.Containers.GetContainerLogsAsync(containerId, parameters, cancellationToken);
        }
        catch (DockerContainerNotFoundException ex)
        {
            throw new ContainerRuntimeException("NotFound", EngineMessage(ex), ex) { IsNotFound = true };
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException("LogReadError", EngineMessage(ex), ex);
        }

        using (stream)
        {
            // The library strips the 8-byte stdout/stderr frame headers; chunks keep the engine's order.
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
                if (read.EOF)
                {
                    yield break;
                }

                yield return buffer.AsSpan(0, read.Count).ToArray();
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task MonitorEventsAsync(
        string nodeName,
        ContainerEventsParameters parameters,
        ChannelWriter<RuntimeEvent> writer,
        CancellationToken cancellationToken)
    {
        var progress = new SynchronousProgress<Message>(message =>
        {
            if (message.Actor?.ID is { Length: > 0 } id && message.Action is { Length: > 0 } action)
            {
                var attributes = message.Actor.Attributes is { } source
                    ? new Dictionary<string, string>(source, StringComparer.Ordinal)
                    : new Dictionary<string, string>(StringComparer.Ordinal);
                writer.TryWrite(new RuntimeEvent(id, action, attributes));
            }
        });

        Exception? failure;
        try
        {
            await _client.System.MonitorEventsAsync(parameters, progress, cancellationToken);
            failure = cancellationToken.IsCancellationRequested
                ? null
                : new ContainerRuntimeException("EventStreamClosed", "The container engine closed the event stream.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            failure = null;
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        DockerLog.EventStreamEnded(_logger, nodeName, failure);
        writer.TryComplete(failure);
    }

    private ContainerRuntimeException PullFailed(string image, string message, bool notFound, Exception? innerException)
    {
        DockerLog.PullFailed(_logger, image, message);
        return new ContainerRuntimeException(
            "ErrImagePull",
            string.Create(CultureInfo.InvariantCulture, $"Failed to pull image \"{image}\": {message}"),
            innerException)
        {
            IsNotFound = notFound || LooksLikeMissingImage(message),
        };
    }

    /// <summary>Stdout and stderr as written, keeping the first 10 KiB (as the kubelet does for probe output).</summary>
    private static async Task<string> ReadCappedAsync(MultiplexedStream stream, CancellationToken cancellationToken)
    {
        const int Cap = 10 * 1024;
        using var kept = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF)
            {
                return System.Text.Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
            }

            kept.Write(buffer, 0, (int)Math.Min(read.Count, Cap - kept.Length));
        }
    }

    /// <summary>The engine's X-Registry-Auth: it reads the username and password (never a bare <c>auth</c>).</summary>
    private static AuthConfig? AuthConfigFor(RegistryCredential? credential) => credential is null
        ? null
        : new AuthConfig { Username = credential.Username, Password = credential.Password, ServerAddress = credential.Server };

    private static bool LooksLikeMissingImage(string message) =>
        message.Contains("not found", StringComparison.OrdinalIgnoreCase)
        || message.Contains("manifest unknown", StringComparison.OrdinalIgnoreCase)
        || message.Contains("repository does not exist", StringComparison.OrdinalIgnoreCase);

    private static Dictionary<string, IDictionary<string, bool>> LabelFilter(string nodeName) =>
        new(StringComparer.Ordinal)
        {
            ["label"] = new Dictionary<string, bool>(StringComparer.Ordinal) { [ContainerLabels.Node + "=" + nodeName] = true },
        };

    private static string FormatBind(BindMount bind)
    {
        string[] options = [.. new[] { bind.ReadOnly ? "ro" : "", bind.Propagation }.Where(o => o.Length > 0)];
        return options.Length == 0 ? bind.HostPath + ":" + bind.ContainerPath : bind.HostPath + ":" + bind.ContainerPath + ":" + string.Join(',', options);
    }

    private static RuntimeContainer ToRuntimeContainer(ContainerListResponse summary, ContainerInspectResponse inspection)
    {
        var state = inspection.State;
        var name = inspection.Name ?? summary.Names?.FirstOrDefault() ?? "";
        var labels = inspection.Config?.Labels ?? summary.Labels;

        return new RuntimeContainer
        {
            Id = inspection.ID ?? summary.ID,
            Name = name.TrimStart('/'),
            Image = inspection.Config?.Image ?? summary.Image ?? "",
            ImageId = inspection.Image ?? summary.ImageID ?? "",
            Labels = labels is null
                ? new Dictionary<string, string>(StringComparer.Ordinal)
                : new Dictionary<string, string>(labels, StringComparer.Ordinal),
            State = ParseState(state?.Status ?? summary.State),
            ExitCode = (int)(state?.ExitCode ?? 0),
            CreatedAt = ToTimestamp(inspection.Created),
            StartedAt = ParseTimestamp(state?.StartedAt),
            FinishedAt = ParseTimestamp(state?.FinishedAt),
            Error = string.IsNullOrEmpty(state?.Error) ? null : state.Error,
            OomKilled = state?.OOMKilled ?? false,
            Pid = (int)(state?.Pid ?? 0),
            IpAddresses = Addresses(inspection.NetworkSettings),
        };
    }

    private static List<string> Addresses(NetworkSettings? settings)
    {
        var networks = (settings?.Networks ?? new Dictionary<string, EndpointSettings>()).OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => n.Value).ToList();
        return [.. networks.Select(n => n.IPAddress).Concat(networks.Select(n => n.GlobalIPv6Address)).Where(a => !string.IsNullOrEmpty(a))];
    }

    private static ContainerRunState ParseState(string? state) => state?.ToUpperInvariant() switch
    {
        "CREATED" => ContainerRunState.Created,
        "RUNNING" => ContainerRunState.Running,
        "PAUSED" => ContainerRunState.Paused,
        "RESTARTING" => ContainerRunState.Restarting,
        "REMOVING" => ContainerRunState.Removing,
        "EXITED" => ContainerRunState.Exited,
        "DEAD" => ContainerRunState.Dead,
        _ => ContainerRunState.Unknown,
    };

    private static DateTimeOffset? ToTimestamp(DateTime value)
    {
        // The engine reports Go's zero time (0001-01-01T00:00:00Z) for "never".
        if (value.Year <= 1)
        {
            return null;
        }

        return value.Kind == DateTimeKind.Unspecified
            ? new DateTimeOffset(value, TimeSpan.Zero)
            : new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero);
    }

    private static DateTimeOffset? ParseTimestamp(string? value)
    {
        if (string.IsNullOrEmpty(value)
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            || parsed.Year <= 1)
        {
            return null;
        }

        return parsed;
    }

    /// <summary>The engine's <c>{"message": "..."}</c> error text, without the library's wrapping.</summary>
    private static string EngineMessage(DockerApiException exception)
    {
        var body = exception.ResponseBody?.Trim();
        if (string.IsNullOrEmpty(body))
        {
            return exception.Message;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String
                && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
        }

        return body;
    }

    private sealed record CachedInspection(string NodeName, string State, string Status, RuntimeContainer Container);

    /// <summary>Unlike <see cref="Progress{T}"/>, reports on the caller's thread, so every report is seen before the call returns.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
