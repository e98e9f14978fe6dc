namespace HostDaemons.Agent.Probes;

/// <summary>What one run of a probe found, with the detail that explains a failure.</summary>
internal sealed record ProbeOutcome(ProbeResult Result, string Message)
{
    public static ProbeOutcome Success(string message = "") => new(ProbeResult.Success, message);

    public static ProbeOutcome Failure(string message) => new(ProbeResult.Failure, message);
}
