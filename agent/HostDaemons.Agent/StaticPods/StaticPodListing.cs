using HostDaemons.Model.V1;

namespace HostDaemons.Agent.StaticPods;

/// <summary>
/// One read of the manifest directory: the pods to run (sorted by file), and every problem found, each with the pod it
/// concerns when there is one (a file that became invalid keeps its last valid pod; a duplicate name has its own).
/// </summary>
internal sealed record StaticPodListing(IReadOnlyList<Pod> Pods, IReadOnlyList<ManifestProblemReport> Problems, bool DirectoryExists)
{
    public IReadOnlyList<ManifestError> Errors => [.. Problems.Select(p => p.Error)];
}

/// <summary>A manifest error and the pod it concerns, if any (for a Warning event on it).</summary>
internal sealed record ManifestProblemReport(ManifestError Error, Pod? Pod);
