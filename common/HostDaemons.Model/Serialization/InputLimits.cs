namespace HostDaemons.Model.Serialization;

/// <summary>
/// The sizes every input is held to before it costs more than linear work: request bodies and messages, manifest
/// documents and files, and what a document's aliases may expand to.
/// </summary>
public static class InputLimits
{
    /// <summary>Kubernetes' API server refuses a request body above 3 MiB (<c>maxRequestBodyBytes</c>); so does every API here.</summary>
    public const int MaxRequestBytes = 3 * 1024 * 1024;

    /// <summary>
    /// The largest gRPC message the control plane reads: a request up to <see cref="MaxRequestBytes"/> is answered with
    /// Kubernetes' message, one past this is cut off by gRPC itself before it is buffered.
    /// </summary>
    public const int MaxGrpcReceiveBytes = MaxRequestBytes + (1024 * 1024);

    /// <summary>One YAML or JSON document: no larger than a request that could carry it.</summary>
    public const int MaxDocumentBytes = MaxRequestBytes;

    /// <summary>
    /// What one document's scalars (keys and values) may add up to once every alias is expanded: past this the object
    /// could not be sent anyway, and expanding it is how a small file becomes gigabytes.
    /// </summary>
    public const long MaxExpandedBytes = MaxRequestBytes;

    /// <summary>A manifest file (hdctl's <c>-f</c>, any number of documents) is refused unread above this.</summary>
    public const long MaxManifestFileBytes = 32L * 1024 * 1024;

    /// <summary>Kubernetes' words for a body over <see cref="MaxRequestBytes"/>.</summary>
    public static string RequestEntityTooLarge { get; } = $"Request entity too large: limit is {MaxRequestBytes}";
}
