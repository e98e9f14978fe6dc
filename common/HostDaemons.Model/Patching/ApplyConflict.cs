namespace HostDaemons.Model.Patching;

/// <summary>
/// A field another manager owns and an apply would change: one cause of the 409 (type <c>FieldManagerConflict</c>,
/// message <see cref="Message"/>, field <see cref="Field"/>).
/// </summary>
public sealed record ApplyConflict(string Manager, string Field)
{
    /// <summary>The cause's message: <c>conflict with "kubectl-client-side-apply" using apps/v1</c>.</summary>
    public string Message => $"conflict with {Manager}";
}
