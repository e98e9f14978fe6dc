namespace HostDaemons.Model.Objects;

/// <summary>A namespace's <c>status.phase</c>, as Kubernetes names it.</summary>
public static class NamespacePhases
{
    public const string Active = "Active";

    /// <summary>Deleted: its content is being deleted, and nothing new may be created in it.</summary>
    public const string Terminating = "Terminating";
}
