using HostDaemons.Model.V1;

namespace HostDaemons.Model.PodSecurity;

/// <summary>A pod as the checks read it: its metadata (annotations), its spec, and its containers with their paths.</summary>
internal sealed class PodView
{
    public PodView(ObjectMeta? metadata, PodSpec spec)
    {
        Annotations = metadata?.Annotations ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>();
        Spec = spec;
        // Kubernetes' visiting order: init containers, then containers (ephemeral containers are not in the model).
        Containers = [
            .. spec.InitContainers.Select((c, i) => (c, $"spec.initContainers[{i}]")),
            .. spec.Containers.Select((c, i) => (c, $"spec.containers[{i}]")),
        ];
    }

    public IReadOnlyDictionary<string, string> Annotations { get; }

    public PodSpec Spec { get; }

    public IReadOnlyList<(Container Container, string Path)> Containers { get; }
}

/// <summary>
/// One of Kubernetes' checks: its id (which orders the messages), its level, the first policy version that has it,
/// and the baseline checks it replaces at restricted (from that version on).
/// </summary>
internal sealed record PodSecurityCheck(
    string Id,
    PodSecurityLevel Level,
    int MinimumMinor,
    Func<PodView, PodSecurityVersion, PodSecurityViolation?> Run,
    params string[] Overrides);
