namespace HostDaemons.Agent.Runtime;

/// <summary>How a command run inside a container ended: its exit code and the start of what it wrote, or that it ran out of time.</summary>
internal sealed record ExecResult(int ExitCode, string Output, bool TimedOut = false);
