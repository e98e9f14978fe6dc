namespace HostDaemons.Agent.ControlPlane;

/// <summary>A ConfigMap or Secret a pod needs is not there, with the kubelet's words (<c>configmap "x" not found</c>).</summary>
internal sealed class ObjectUnavailableException(string message) : Exception(message);
