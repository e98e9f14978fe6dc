namespace HostDaemons.Model.Patching;

/// <summary>
/// An apply that would change fields other managers own, without <c>force</c>: Kubernetes answers 409 Conflict with
/// this message (<c>Apply failed with 1 conflict: conflict with "x" using apps/v1: .spec.replicas</c>) and one cause
/// per conflict.
/// </summary>
public sealed class ApplyConflictException : Exception
{
    public ApplyConflictException(IReadOnlyList<ApplyConflict> conflicts)
        : base(MessageFor(conflicts))
    {
        Conflicts = conflicts;
    }

    public ApplyConflictException()
        : this([])
    {
    }

    public ApplyConflictException(string message)
        : base(message)
    {
        Conflicts = [];
    }

    public ApplyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        Conflicts = [];
    }

    public IReadOnlyList<ApplyConflict> Conflicts { get; }

    /// <summary>Kubernetes' <c>getConflictMessage</c>: one conflict on one line, several grouped by manager in name order.</summary>
    private static string MessageFor(IReadOnlyList<ApplyConflict> conflicts)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: {conflicts[0].Message}: {conflicts[0].Field}";
        }

        var lines = conflicts.GroupBy(c => c.Manager)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g.Select(c => $"- {c.Field}").Prepend($"conflicts with {g.Key}:"));
        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}
