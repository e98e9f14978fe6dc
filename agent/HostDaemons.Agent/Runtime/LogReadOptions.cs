namespace HostDaemons.Agent.Runtime;

internal sealed record LogReadOptions(bool Follow, long? TailLines, bool Timestamps);
