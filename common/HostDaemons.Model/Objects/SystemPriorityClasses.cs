using HostDaemons.Model.V1;

namespace HostDaemons.Model.Objects;

/// <summary>Kubernetes' built-in PriorityClasses, which exist from the start and can be neither changed nor deleted.</summary>
public static class SystemPriorityClasses
{
    /// <summary>Names with this prefix are reserved for the built-in classes.</summary>
    public const string Prefix = "system-";

    /// <summary>The highest value a user's PriorityClass may have; higher ones are the system's.</summary>
    public const int HighestUserDefinablePriority = 1_000_000_000;

    public const string PreemptLowerPriority = "PreemptLowerPriority";

    public static IReadOnlyList<PriorityClass> All { get; } =
    [
        Create("system-node-critical", 2_000_001_000, "Used for system critical pods that must not be moved from their current node."),
        Create("system-cluster-critical", 2_000_000_000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
    ];

    /// <summary>The built-in class of that name, or null.</summary>
    public static PriorityClass? Find(string name) => All.FirstOrDefault(c => c.Metadata.Name == name);

    private static PriorityClass Create(string name, int value, string description) => new()
    {
        ApiVersion = ResourceKinds.PriorityClass.ApiVersion,
        Kind = ResourceKinds.PriorityClass.KindName,
        Metadata = new ObjectMeta { Name = name },
        Value = value,
        Description = description,
        PreemptionPolicy = PreemptLowerPriority,
    };
}
