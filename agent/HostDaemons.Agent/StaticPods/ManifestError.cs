namespace HostDaemons.Agent.StaticPods;

/// <summary>A manifest file that could not be used: its path, the line when known, and what is wrong.</summary>
internal sealed record ManifestError(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
