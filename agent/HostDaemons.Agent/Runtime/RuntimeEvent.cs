namespace HostDaemons.Agent.Runtime;

/// <summary>A container event: <c>Action</c> is the engine's (create, start, die, destroy, oom, ...).</summary>
internal sealed record RuntimeEvent(string ContainerId, string Action, IReadOnlyDictionary<string, string> Labels);
