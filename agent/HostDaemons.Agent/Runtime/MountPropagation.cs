namespace HostDaemons.Agent.Runtime;

/// <summary>
/// Docker refuses an rslave or rshared bind (mountPropagation HostToContainer or Bidirectional) whose source is on a
/// private mount. systemd makes <c>/</c> shared at boot, so this happens on hosts without it: the pod says how to fix it.
/// </summary>
internal static class MountPropagation
{
    public static bool IsUnsharedSourceError(string engineMessage) =>
        engineMessage.Contains("is not a shared or slave mount", StringComparison.Ordinal)
        || engineMessage.Contains("is not a shared mount", StringComparison.Ordinal);

    public static ContainerRuntimeException UnsharedSource(string engineMessage, Exception? innerException = null) => new(
        "CreateContainerConfigError",
        $"{engineMessage}: mountPropagation needs the host path on a shared mount; make the host's mounts shared as systemd does at boot (mount --make-rshared /)",
        innerException);
}
