namespace HostDaemons.Model.Validation;

/// <summary>
/// The fields a server-side refusal is about, sent beside its message (gRPC trailers, one entry per path such as
/// <c>spec.template.spec.volumes[0].hostPath</c>) so hdctl can point at the file and line that wrote them.
/// </summary>
public static class ErrorFieldPaths
{
    public const string TrailerKey = "hostdaemons-field-path";
}
