namespace HostDaemons.Agent.Runtime;

/// <summary>The Docker labels on every container an agent creates (PRODUCT.md), and how to read them back.</summary>
internal static class ContainerLabels
{
    public const string Node = "io.hostdaemons.node";
    public const string Namespace = "io.hostdaemons.namespace";
    public const string Pod = "io.hostdaemons.pod";
    public const string PodUid = "io.hostdaemons.pod-uid";
    public const string Container = "io.hostdaemons.container";
    public const string Owner = "io.hostdaemons.owner";
    public const string SpecHash = "io.hostdaemons.spec-hash";

    /// <summary>Which instance of the container this is: its restart count when it was created.</summary>
    public const string Attempt = "io.hostdaemons.attempt";

    /// <summary>The pod's grace period, so an orphan whose pod is gone is still stopped gently.</summary>
    public const string GracePeriod = "io.hostdaemons.grace-period";

    /// <summary>"true" on a pod's sandbox, the container that holds the network namespace its containers share.</summary>
    public const string Sandbox = "io.hostdaemons.sandbox";

    /// <summary>On a container that joined a sandbox: the sandbox's id, so a container left behind by a new sandbox is replaced.</summary>
    public const string SandboxId = "io.hostdaemons.sandbox-id";

    /// <summary>On a sandbox: the Docker network it was created on. A sandbox without it (made before pod networks) is on none.</summary>
    public const string SandboxNetwork = "io.hostdaemons.sandbox-network";

    /// <summary>On a sandbox: a hash of what it publishes and holds besides its network (hostPorts, hostAliases, sysctls), when anything.</summary>
    public const string SandboxSettings = "io.hostdaemons.sandbox-settings";

    /// <summary>The container's preStop handler (JSON), so it runs on every graceful stop, even once the pod spec is gone.</summary>
    public const string PreStop = "io.hostdaemons.pre-stop";

    /// <summary>"true" on a container of a hostNetwork pod that has a preStop handler: an httpGet handler connects from the host.</summary>
    public const string HostNetwork = "io.hostdaemons.host-network";

    /// <summary>The <see cref="Container"/> label of a sandbox (never a valid container name, which is lower case).</summary>
    public const string SandboxContainerName = "POD";

    /// <summary>The host file bound at the container's terminationMessagePath, read back when it has exited.</summary>
    public const string TerminationLog = "io.hostdaemons.termination-log";

    /// <summary>"FallbackToLogsOnError" when the container's log tail stands in for an empty termination message.</summary>
    public const string TerminationMessagePolicy = "io.hostdaemons.termination-message-policy";

    public static bool IsSandbox(this RuntimeContainer container) => container.Get(Sandbox) == "true";

    public static string? Get(this RuntimeContainer container, string label) => container.Labels.GetValueOrDefault(label);

    public static int AttemptOf(this RuntimeContainer container) =>
        int.TryParse(container.Get(Attempt), System.Globalization.CultureInfo.InvariantCulture, out var attempt) ? attempt : 0;

    public static TimeSpan GracePeriodOf(this RuntimeContainer container) =>
        long.TryParse(container.Get(GracePeriod), System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromSeconds(30);
}
