namespace HostDaemons.Agent.StaticPods;

/// <summary>
/// Which names in the manifest directory are manifests: not hidden, ending in <c>.yaml</c>, <c>.yml</c> or
/// <c>.json</c>. So an editor's backups (<c>x.yaml~</c>, <c>x.yaml.bak</c>), swap and lock files (<c>.x.yaml.swp</c>,
/// <c>.#x.yaml</c>, <c>#x.yaml#</c>) are never run (the kubelet reads every file that is not hidden).
/// </summary>
internal static class ManifestFileNames
{
    private static readonly string[] s_extensions = [".yaml", ".yml", ".json"];

    public static bool IsManifest(string fileName) =>
        fileName.Length > 0
        && !fileName.StartsWith('.')
        && !fileName.StartsWith('#')
        && s_extensions.Any(e => fileName.Length > e.Length && fileName.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
