namespace HostDaemons.Agent.Runtime;

/// <summary>A runtime failure with the Kubernetes waiting reason it maps to (ErrImagePull, CreateContainerError, ...).</summary>
internal sealed class ContainerRuntimeException : Exception
{
    public ContainerRuntimeException(string reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public string Reason { get; }

    /// <summary>True when the container or image does not exist.</summary>
    public bool IsNotFound { get; init; }
}
