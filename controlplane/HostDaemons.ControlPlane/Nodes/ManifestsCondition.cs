using Google.Protobuf.WellKnownTypes;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Nodes;

/// <summary>
/// The node condition that shows, in <c>hdctl describe node</c>, whether every static pod manifest of the node could be
/// used: <c>StaticPodManifestsValid</c> True, or False with <c>file:line: message</c> for each file that could not.
/// </summary>
internal static class ManifestsCondition
{
    public const string Type = "StaticPodManifestsValid";
    public const string ValidReason = "ManifestsValid";
    public const string InvalidReason = "InvalidManifest";
    public const string ValidMessage = "all manifests valid";

    /// <summary>Errors the message lists; beyond them it only counts.</summary>
    private const int Listed = 10;

    /// <summary><c>file:line: message</c>, or <c>file: message</c> for an error without a line.</summary>
    public static string Describe(ManifestError error) =>
        error.Line > 0 ? $"{error.File}:{error.Line}: {error.Message}" : $"{error.File}: {error.Message}";

    /// <summary>Sets the condition from the agent's errors; false when it already says the same.</summary>
    public static bool Set(Node node, IReadOnlyList<string> errors, Timestamp now)
    {
        var (status, reason, message) = errors.Count == 0
            ? ("True", ValidReason, ValidMessage)
            : ("False", InvalidReason, Message(errors));
        return NodeConditions.Set(node, Type, status, reason, message, now);
    }

    private static string Message(IReadOnlyList<string> errors) =>
        errors.Count <= Listed
            ? string.Join("; ", errors)
            : $"{string.Join("; ", errors.Take(Listed))}; and {errors.Count - Listed} more";
}
