using HostDaemons.Model.V1;

namespace HostDaemons.Agent.StaticPods;

/// <summary>The static pod a manifest file describes, or why it describes none.</summary>
/// <param name="Pod">The defaulted, valid pod; null when the file is not usable.</param>
/// <param name="Errors">What is wrong with the file, each with its line when known.</param>
/// <param name="NameLine">The line of <c>metadata.name</c>, where a duplicate name is reported.</param>
internal sealed record StaticPodManifestResult(Pod? Pod, IReadOnlyList<ManifestError> Errors, int NameLine)
{
    public bool Succeeded => Pod is not null;
}
