using System.Text.Json.Nodes;
using Grpc.Core;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Patching;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// PATCH: the patch (strategic merge, JSON merge or JSON patch, <c>Model/Patching</c>) is applied to the stored object's
/// JSON, the result decoded like any body and written as an update. Without a <c>resourceVersion</c> in the patch the
/// update is retried against the latest object when another write came between, as the API server does.
/// </summary>
internal sealed partial class KubeApiHandler
{
    private const int PatchAttempts = 5;

    private async Task PatchAsync(HttpContext http, RestCallContext call, KubeRequest request)
    {
        var mediaType = (http.Request.ContentType ?? "").Split(';')[0].Trim();
        if (mediaType == "application/apply-patch+yaml")
        {
            await ServerSideApplyAsync(http, call, request).ConfigureAwait(false);
            return;
        }

        if (mediaType is not ("application/strategic-merge-patch+json" or "application/merge-patch+json" or "application/json-patch+json"))
        {
            throw new KubeStatusException(KubeStatus.UnsupportedMediaType(
                $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"));
        }

        var patch = ParseJson(await BodyAsync(http).ConfigureAwait(false));
        var validation = FieldValidationOf(http);
        for (var attempt = 1; ; attempt++)
        {
            var existing = Get(request with { Subresource = "" });
            var patched = Patch(mediaType, KubeJson.Encode(existing), patch, request.Kind);
            var pinned = (string?)patched["metadata"]?["resourceVersion"] is { Length: > 0 } version && version != existing.Metadata.ResourceVersion;
            if (!pinned && patched["metadata"] is JsonObject metadata)
            {
                metadata["resourceVersion"] = existing.Metadata.ResourceVersion;
            }

            var (value, warnings) = ObjectBodies.Decode(request.Kind, patched.ToJsonString(), validation);
            try
            {
                await ReplaceAsync(http, call, request, value, warnings).ConfigureAwait(false);
                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Aborted && !pinned && attempt < PatchAttempts)
            {
            }
        }
    }

    private static JsonNode Patch(string mediaType, JsonObject current, JsonNode? patch, ResourceKindInfo kind)
    {
        try
        {
            return mediaType switch
            {
                "application/strategic-merge-patch+json" => StrategicMergePatch.Apply(current, patch, kind.Descriptor),
                "application/merge-patch+json" => JsonMergePatch.Apply(current, patch),
                _ => JsonPatch.Apply(current, patch),
            };
        }
        catch (PatchException ex)
        {
            throw new KubeStatusException(ex.Kind switch
            {
                PatchErrorKind.BadRequest => KubeStatus.BadRequest(ex.Message),
                PatchErrorKind.UnprocessableEntity => new KubeStatus(422, "Invalid", "the server rejected our request due to an error in our request")
                {
                    Causes = [new JsonObject { ["reason"] = "UnexpectedServerResponse", ["message"] = ex.Message }],
                },
                PatchErrorKind.RequestEntityTooLarge => KubeStatus.RequestEntityTooLarge(ex.Message),
                _ => new KubeStatus(500, "InternalError", ex.Message),
            });
        }
    }
}
