using System.Globalization;
using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Lifecycle;

/// <summary>
/// Runs a postStart or preStop handler as the kubelet's handler runner does: exec through Docker's exec API (exit 0
/// passes), httpGet through the prober's request (from inside the pod's network namespace; any answer passes, only a
/// failed connection fails), sleep on the agent's clock. No timeout of its own: the caller's token bounds it (a
/// preStop by the grace period, a postStart by the pod being deleted).
/// </summary>
internal sealed class LifecycleHookRunner(IContainerRuntime runtime, TimeProvider time)
{
    private const string UserAgent = "kube-lifecycle/1.33";

    /// <param name="handler">The hook's handler.</param>
    /// <param name="target">The container it runs against.</param>
    /// <param name="cancellationToken">Ends the hook (then it throws); the hook itself has no time limit.</param>
    /// <returns>Null when it passed, else the kubelet's message saying why not.</returns>
    public async Task<string?> RunAsync(LifecycleHandler handler, HookTarget target, CancellationToken cancellationToken)
    {
        if (handler.Exec is { } exec)
        {
            var result = await runtime.ExecAsync(target.ContainerId, exec.Command, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            return result.ExitCode == 0
                ? null
                : $"Exec lifecycle hook ([{string.Join(' ', exec.Command)}]) for Container \"{target.ContainerName}\" in Pod \"{target.PodDescription}\" failed - error: command '{string.Join(' ', exec.Command)}' exited with {result.ExitCode.ToString(CultureInfo.InvariantCulture)}, message: \"{result.Output}\"";
        }

        if (handler.HttpGet is { } http)
        {
            var error = await HttpGetAsync(http, target, cancellationToken).ConfigureAwait(false);
            return error is null ? null : $"HTTP lifecycle hook ({http.Path}) for Container \"{target.ContainerName}\" in Pod \"{target.PodDescription}\" failed - error: {error}";
        }

        if (handler.Sleep is { } sleep)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, sleep.Seconds)), time, cancellationToken).ConfigureAwait(false);
            return null;
        }

        return $"Cannot run handler: invalid handler: {handler}";
    }

    /// <summary>The handler with a named httpGet port turned into the number of the container port of that name.</summary>
    public static LifecycleHandler WithResolvedPort(LifecycleHandler handler, Container container)
    {
        if (handler.HttpGet is not { } http || Prober.ResolvePort(http.Port, container) is not { } port)
        {
            return handler;
        }

        var resolved = handler.Clone();
        resolved.HttpGet.Port = new IntOrString { IntValue = port };
        return resolved;
    }

    private async Task<string?> HttpGetAsync(HTTPGetAction http, HookTarget target, CancellationToken cancellationToken)
    {
        if (http.Port?.ValueCase != IntOrString.ValueOneofCase.IntValue || http.Port.IntValue is < 1 or > 65535)
        {
            return $"couldn't find port: {http.Port}";
        }

        var pid = target.HostNetwork ? 0 : (await runtime.InspectContainerAsync(target.ContainerId, cancellationToken).ConfigureAwait(false))?.Pid ?? 0;
        using var never = new CancellationTokenSource();
        var outcome = await Prober.HttpGetAsync(http, http.Port.IntValue, (host, port, token) => ProbeDialer.ConnectAsync(target.HostNetwork, pid, host, port, token),
            UserAgent, anyStatusPasses: true, Timeout.InfiniteTimeSpan, never, cancellationToken).ConfigureAwait(false);
        return outcome.Result == ProbeResult.Success ? null : outcome.Message;
    }
}

/// <summary>The container a hook runs against, and how to name it and its pod in messages (<c>name_namespace(uid)</c>).</summary>
internal sealed record HookTarget(string ContainerId, string ContainerName, string PodDescription, bool HostNetwork);
