namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// A container's environment (<c>NAME=value</c>, in order) and its command and args with <c>$(VAR)</c> expanded,
/// with the events to record about it: envFrom keys skipped for not being valid variable names.
/// </summary>
internal sealed record ContainerEnvironment(IReadOnlyList<string> Variables, IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Arguments, IReadOnlyList<string> Warnings);
