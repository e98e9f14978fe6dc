using System.Text.Json.Nodes;

namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>
/// The parameters of kube-apiserver's operations, written inline on each operation as Kubernetes' documents have them:
/// kubectl looks for <c>fieldValidation</c> by name among a PATCH operation's own parameters.
/// </summary>
internal static class OperationParameters
{
    public const string FieldValidation = "fieldValidation";

    public static JsonArray List() =>
    [
        Query("allowWatchBookmarks", "boolean", "With watch: also send BOOKMARK events that carry only a newer resourceVersion."),
        Continue(),
        FieldSelector(),
        LabelSelector(),
        Limit(),
        ResourceVersion(),
        ResourceVersionMatch(),
        Query("sendInitialEvents", "boolean", "With watch: begin with an ADDED event for every object, then a BOOKMARK."),
        TimeoutSeconds(),
        Query("watch", "boolean", "Stream the changes (ADDED, MODIFIED, DELETED) from resourceVersion instead of listing."),
    ];

    public static JsonArray Create() => [DryRun(), FieldManager(), FieldValidationParameter()];

    public static JsonArray Replace() => Create();

    public static JsonArray Patch() =>
    [
        DryRun(),
        FieldManager(),
        FieldValidationParameter(),
        Query("force", "boolean", "Server-side apply only: take the fields that other managers own instead of failing with a conflict."),
    ];

    public static JsonArray Delete() => [DryRun(), GracePeriodSeconds(), OrphanDependents(), PropagationPolicy()];

    public static JsonArray DeleteCollection() =>
    [
        Continue(), DryRun(), FieldSelector(), GracePeriodSeconds(), LabelSelector(), Limit(), OrphanDependents(), PropagationPolicy(),
        ResourceVersion(), ResourceVersionMatch(),
        Query("sendInitialEvents", "boolean", "Not used by deletions."),
        TimeoutSeconds(),
    ];

    public static JsonArray PodLog() =>
    [
        Query("container", "string", "The container whose log to read; may be omitted when the pod has one container."),
        Query("follow", "boolean", "Keep the stream open and send new lines as they are written."),
        Query("insecureSkipTLSVerifyBackend", "boolean", "Accepted and ignored: HostDaemons reaches the agent over its own verified connection."),
        Query("limitBytes", "integer", "Stop after this many bytes."),
        Query("previous", "boolean", "The log of the container's previous run."),
        Query("sinceSeconds", "integer", "Only lines written in the last so many seconds."),
        Query("sinceTime", "string", "Only lines written at or after this RFC 3339 time."),
        Query("tailLines", "integer", "Only the last so many lines."),
        Query("timestamps", "boolean", "Begin each line with its RFC 3339 time."),
    ];

    public static JsonObject Path(string name, string description) => new()
    {
        ["description"] = description,
        ["in"] = "path",
        ["name"] = name,
        ["required"] = true,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    public static JsonObject Pretty() => Query("pretty", "string", "If 'true', the output is indented.");

    private static JsonObject Query(string name, string type, string description) => new()
    {
        ["description"] = description,
        ["in"] = "query",
        ["name"] = name,
        ["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true },
    };

    private static JsonObject DryRun() =>
        Query("dryRun", "string", "All: validate, admit and return the result without storing it. Any other value is refused.");

    private static JsonObject FieldManager() =>
        Query("fieldManager", "string", "The name of the actor making the change, recorded in managedFields; required for apply patches.");

    private static JsonObject FieldValidationParameter() => Query(
        FieldValidation,
        "string",
        "What to do with unknown or duplicate fields in the body: Strict fails the request (400 BadRequest) naming them all, Warn (the default) drops them with a Warning header for each, Ignore drops them silently.");

    private static JsonObject Continue() =>
        Query("continue", "string", "The token of the next page, from the metadata.continue of the previous page.");

    private static JsonObject FieldSelector() =>
        Query("fieldSelector", "string", "Only objects whose fields match: metadata.name=x,metadata.namespace!=y (and the kind's own fields, such as spec.nodeName for pods).");

    private static JsonObject LabelSelector() => Query("labelSelector", "string", "Only objects whose labels match: app=web,tier in (a,b),!canary.");

    private static JsonObject Limit() => Query("limit", "integer", "At most this many objects; more are fetched with continue.");

    private static JsonObject ResourceVersion() =>
        Query("resourceVersion", "string", "For a list, unset or 0 reads the latest state; for a watch, the version to resume after.");

    private static JsonObject ResourceVersionMatch() => Query("resourceVersionMatch", "string", "How resourceVersion applies to a list: NotOlderThan or Exact.");

    private static JsonObject TimeoutSeconds() => Query("timeoutSeconds", "integer", "End the list or watch after this many seconds.");

    private static JsonObject GracePeriodSeconds() =>
        Query("gracePeriodSeconds", "integer", "Seconds to let the pods stop; 0 deletes at once. Unset: the object's own grace period.");

    private static JsonObject OrphanDependents() =>
        Query("orphanDependents", "boolean", "Deprecated: use propagationPolicy. True leaves the objects this one owns in place.");

    private static JsonObject PropagationPolicy() =>
        Query("propagationPolicy", "string", "Orphan, Background (the default) or Foreground: whether and when the objects this one owns are deleted.");
}
