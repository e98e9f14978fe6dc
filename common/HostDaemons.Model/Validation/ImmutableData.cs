namespace HostDaemons.Model.Validation;

/// <summary>
/// The rule Kubernetes gives ConfigMaps and Secrets marked <c>immutable: true</c>: their data never changes again and
/// the mark cannot be taken back (only metadata can change; delete and recreate to change the rest).
/// </summary>
internal static class ImmutableData
{
    public const string Message = "field is immutable when `immutable` is set";

    /// <param name="wasImmutable">The stored object's <c>immutable</c>.</param>
    /// <param name="isImmutable">The update's <c>immutable</c>.</param>
    /// <param name="unchanged">Each data field by path, and whether the update leaves it as it was.</param>
    public static ValidationErrors Check(bool wasImmutable, bool isImmutable, params (string Path, bool Unchanged)[] unchanged)
    {
        var errors = new ValidationErrors();
        if (!wasImmutable)
        {
            return errors;
        }

        if (!isImmutable)
        {
            errors.Forbidden("immutable", Message);
        }

        foreach (var (path, same) in unchanged)
        {
            if (!same)
            {
                errors.Forbidden(path, Message);
            }
        }

        return errors;
    }
}
