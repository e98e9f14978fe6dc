namespace HostDaemons.Model.Validation;

/// <summary>Collects field errors while a validator walks an object.</summary>
public sealed class ValidationErrors : List<FieldError>
{
    public void Required(string path, string detail = "") => Add(new FieldError(path, FieldErrorType.Required, detail));

    public void Invalid(string path, object? value, string detail) => Add(new FieldError(path, FieldErrorType.Invalid, detail, value));

    public void NotSupported(string path, object? value, params string[] supported) =>
        Add(new FieldError(path, FieldErrorType.NotSupported, "supported values: " + string.Join(", ", supported.Select(s => $"\"{s}\"")), value));

    public void Duplicate(string path, object? value) => Add(new FieldError(path, FieldErrorType.Duplicate, "", value));

    public void NotFound(string path, object? value) => Add(new FieldError(path, FieldErrorType.NotFound, "", value));

    public void Forbidden(string path, string detail) => Add(new FieldError(path, FieldErrorType.Forbidden, detail));

    /// <summary>Kubernetes' summary: <c>The DaemonSet "x" is invalid: spec.selector: Required value</c>, bracketed when there are several.</summary>
    public static string Summarize(string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var body = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors) + "]";
        return $"The {kind} \"{name}\" is invalid: {body}";
    }
}
