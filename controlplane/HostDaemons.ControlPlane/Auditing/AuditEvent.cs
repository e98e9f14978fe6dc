using System.Text.Json.Serialization;

namespace HostDaemons.ControlPlane.Auditing;

/// <summary>
/// One line of the audit log, shaped as Kubernetes' <c>audit.k8s.io/v1</c> Event at the Metadata level: who, what,
/// on which object, with what outcome, never a request or response body.
/// </summary>
internal sealed record AuditEvent
{
    public string Kind { get; init; } = "Event";

    public string ApiVersion { get; init; } = "audit.k8s.io/v1";

    public string Level { get; init; } = "Metadata";

    [JsonPropertyName("auditID")]
    public required string AuditId { get; init; }

    public string Stage { get; init; } = "ResponseComplete";

    /// <summary>The gRPC method (<c>/hostdaemons.v1.AdminService/Apply</c>), or what the event is about when no call is.</summary>
    [JsonPropertyName("requestURI")]
    public required string RequestUri { get; init; }

    public required string Verb { get; init; }

    public required AuditUser User { get; init; }

    public AuditUser? ImpersonatedUser { get; init; }

    [JsonPropertyName("sourceIPs")]
    public IReadOnlyList<string>? SourceIps { get; init; }

    public string? UserAgent { get; init; }

    public AuditObjectRef? ObjectRef { get; init; }

    public required AuditResponseStatus ResponseStatus { get; init; }

    /// <summary>RFC 3339 with microseconds, UTC, as Kubernetes writes its MicroTime.</summary>
    public required string RequestReceivedTimestamp { get; init; }

    public required string StageTimestamp { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Kubernetes' MicroTime text: <c>2026-12-06T14:43:09.123456Z</c>.</summary>
    public static string MicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

internal sealed record AuditUser(string Username, IReadOnlyList<string>? Groups);

internal sealed record AuditObjectRef
{
    public string? Resource { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public string? ApiGroup { get; init; }

    public string? Subresource { get; init; }
}

/// <summary>The outcome as an HTTP status (Kubernetes' <c>metav1.Status</c> subset): a message only for failures.</summary>
internal sealed record AuditResponseStatus(int Code, string? Message = null);

/// <summary>The JSON shape: Kubernetes' field names (<c>auditID</c>, <c>requestURI</c>, <c>sourceIPs</c>), nulls left out. Source-generated for AOT.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditEvent))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
