namespace HostDaemons.Agent.Runtime;

/// <summary>What a log read returns: the last <c>TailLines</c> lines, of those written at or after <c>Since</c>.</summary>
internal sealed record LogReadOptions(bool Follow, long? TailLines, bool Timestamps, DateTimeOffset? Since = null);
