namespace HostDaemons.Agent.Volumes;

/// <summary>A volume whose files cannot be made, with the kubelet's reason (<c>configmap "x" not found</c>).</summary>
internal sealed class VolumeSetUpException(string message, Exception? innerException = null) : Exception(message, innerException);
