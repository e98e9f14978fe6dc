using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HostDaemons.ControlPlane.Auditing;

/// <summary>
/// The audit log in the control plane's health: Degraded while it cannot be written (the API still serves), with why
/// and how many events were lost.
/// </summary>
internal sealed class AuditLogHealthCheck(AuditLog log) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Describe(log) is { } problem ? HealthCheckResult.Degraded(problem) : HealthCheckResult.Healthy());

    /// <summary>What is wrong with the audit log, in a line; null when nothing is.</summary>
    public static string? Describe(AuditLog log) => log.Failure is { } failure
        ? $"audit log not written: {failure} ({log.Dropped} events dropped)"
        : log.Dropped > 0 ? $"audit log behind: {log.Dropped} events dropped" : null;
}
