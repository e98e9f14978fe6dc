namespace HostDaemons.Model.Patching;

/// <summary>A patch that cannot be applied, with Kubernetes' message for it and the kind of Status it answers with.</summary>
public sealed class PatchException : Exception
{
    public PatchException(PatchErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public PatchException()
        : this(PatchErrorKind.BadRequest, "invalid patch")
    {
    }

    public PatchException(string message)
        : this(PatchErrorKind.BadRequest, message)
    {
    }

    public PatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = PatchErrorKind.BadRequest;
    }

    public PatchErrorKind Kind { get; }
}
