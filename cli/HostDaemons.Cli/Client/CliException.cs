namespace HostDaemons.Cli.Client;

/// <summary>An error to print as it is (one line, no stack trace) before exiting with <see cref="ExitCode"/>.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Error) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Error = 1;
}
