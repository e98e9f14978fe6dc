using Docker.DotNet;
using Docker.DotNet.Models;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>A container event of this run's containers, with the engine's own timestamp.</summary>
internal sealed record ContainerEvent(string Id, string Action, string Node, string Pod, string Owner, DateTimeOffset At);

/// <summary>
/// The real engine, as the benchmark sees it: the events of this run's containers (label <c>io.hostdaemons.node</c>
/// starting with the run's prefix), the plain create + start baseline, and the clean-up at the end.
/// </summary>
internal sealed class DockerEngine : IAsyncDisposable
{
    public const string NodeLabel = "io.hostdaemons.node";
    public const string PodLabel = "io.hostdaemons.pod";
    public const string OwnerLabel = "io.hostdaemons.owner";

    private readonly DockerClient _client;
    private readonly string _prefix;
    private readonly List<ContainerEvent> _events = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _monitor;

    public DockerEngine(string prefix)
    {
        _prefix = prefix;
        var endpoint = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";
        _client = new DockerClientBuilder().WithEndpoint(new Uri(endpoint)).WithTimeout(TimeSpan.FromMinutes(2)).Build();
    }

    public DockerClient Client => _client;

    /// <summary>Starts following the engine's events; returns once the stream is open (checked with a probe event).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.System.PingAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new BenchFailedException($"the Docker engine does not answer ({ex.Message}): run `source scripts/lib/common.sh && ensure_docker`");
        }

        var parameters = new ContainerEventsParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal)
            {
                ["type"] = new Dictionary<string, bool>(StringComparer.Ordinal) { ["container"] = true },
                ["label"] = new Dictionary<string, bool>(StringComparer.Ordinal) { [NodeLabel] = true },
            },
        };
        var progress = new SynchronousProgress(OnMessage);
        _monitor = Task.Run(async () =>
        {
            try
            {
                await _client.System.MonitorEventsAsync(parameters, progress, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        }, CancellationToken.None);

        // The stream is open once an event of ours comes through it.
        var probe = await CreateAsync(_prefix + "-probe", "probe", cancellationToken);
        await WaitAsync(events => events.Any(e => e.Id == probe) ? true : (bool?)null, TimeSpan.FromSeconds(30), "the Docker event stream", cancellationToken);
        await RemoveAsync(probe, cancellationToken);
    }

    public IReadOnlyList<ContainerEvent> Snapshot()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }

    /// <summary>Waits until <paramref name="check"/> answers something from the events seen so far.</summary>
    public async Task<T> WaitAsync<T>(Func<IReadOnlyList<ContainerEvent>, T?> check, TimeSpan timeout, string what, CancellationToken cancellationToken)
        where T : struct
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (check(_events) is { } result)
                {
                    return result;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new BenchFailedException($"timed out after {timeout.TotalSeconds:0}s waiting for {what}");
            }
        }
    }

    /// <summary>docker create: busybox with network none, labelled as this run's so the clean-up finds it.</summary>
    public async Task<string> CreateAsync(string name, string node, CancellationToken cancellationToken)
    {
        var response = await _client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = Manifests.Image,
            Cmd = ["sh", "-c", Manifests.Command],
            Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [NodeLabel] = node.StartsWith(_prefix, StringComparison.Ordinal) ? node : _prefix + "-" + node },
            HostConfig = new HostConfig { NetworkMode = "none" },
        }, cancellationToken);
        return response.ID;
    }

    public Task StartContainerAsync(string id, CancellationToken cancellationToken) =>
        _client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken);

    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        _client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, cancellationToken);

    /// <summary>Removes every container this run created, its agents' included (stop the agents first).</summary>
    public async Task<int> CleanUpAsync()
    {
        var removed = 0;
        for (var pass = 0; pass < 5; pass++)
        {
            var containers = await _client.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal)
                {
                    ["label"] = new Dictionary<string, bool>(StringComparer.Ordinal) { [NodeLabel] = true },
                },
            });
            var ours = containers.Where(c => c.Labels.TryGetValue(NodeLabel, out var node) && node.StartsWith(_prefix, StringComparison.Ordinal)).ToList();
            if (ours.Count == 0)
            {
                return removed;
            }

            foreach (var container in ours)
            {
                try
                {
                    await RemoveAsync(container.ID, CancellationToken.None);
                    removed++;
                }
                catch (DockerApiException)
                {
                    // Gone already, or its removal in progress: the next pass checks.
                }
            }

            await Task.Delay(500);
        }

        return removed;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_monitor is not null)
        {
            await _monitor;
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private void OnMessage(Message message)
    {
        var attributes = message.Actor?.Attributes;
        if (attributes is null || !attributes.TryGetValue(NodeLabel, out var node) || !node.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return;
        }

        var nanos = message.TimeNano ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(nanos / 1_000_000).AddTicks(nanos % 1_000_000 / 100);
        var e = new ContainerEvent(
            message.Actor!.ID ?? "",
            message.Action ?? "",
            node,
            attributes.TryGetValue(PodLabel, out var pod) ? pod : "",
            attributes.TryGetValue(OwnerLabel, out var owner) ? owner : "",
            at);
        TaskCompletionSource changed;
        lock (_lock)
        {
            _events.Add(e);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private sealed class SynchronousProgress(Action<Message> handler) : IProgress<Message>
    {
        public void Report(Message value) => handler(value);
    }
}
