using System.Text.Json.Nodes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Patching;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// Server-side apply (<c>application/apply-patch+yaml</c>, <c>kubectl apply --server-side</c>): the applied
/// configuration is merged into the live object by <see cref="ServerSideApply"/>, which records in
/// <c>metadata.managedFields</c> what each field manager owns and refuses, with Kubernetes' 409, a change to a field
/// another manager owns unless <c>force=true</c>. An object that does not exist is created.
/// </summary>
internal sealed partial class KubeApiHandler
{
    private async Task ServerSideApplyAsync(HttpContext http, RestCallContext call, KubeRequest request)
    {
        var manager = http.Request.Query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            throw new KubeStatusException(KubeStatus.BadRequest("PATCH, application/apply-patch+yaml: fieldManager is required for apply requests"));
        }

        var force = http.Request.Query["force"] is { Count: > 0 } f && f[0] is "true" or "1";
        var (applied, warnings) = ObjectBodies.Decode(request.Kind, await BodyAsync(http).ConfigureAwait(false), FieldValidationOf(http));
        applied.Metadata ??= new Model.V1.ObjectMeta();
        MatchNamespace(applied, request);
        if (applied.Metadata.Name != request.Name)
        {
            throw new KubeStatusException(KubeStatus.BadRequest($"the name of the object ({applied.Metadata.Name}) does not match the name on the URL ({request.Name})"));
        }

        var config = KubeJson.Encode(applied);
        var existing = store.Get(new Storage.ObjectKey(request.Kind.Kind, request.Namespace, request.Name));
        var live = existing is null ? new JsonObject() : KubeJson.Encode(existing);
        var entries = ManagedFieldsEntry.Parse((live["metadata"] as JsonObject)?["managedFields"] as JsonArray);
        (live["metadata"] as JsonObject)?.Remove("managedFields");
        ApplyResult result;
        try
        {
            result = ServerSideApply.Apply(live, config, request.Kind.Descriptor, entries, manager, request.Kind.ApiVersion, force, time.GetUtcNow(),
                request.Subresource.Length > 0 ? request.Subresource : null);
        }
        catch (ApplyConflictException ex)
        {
            var causes = new JsonArray();
            foreach (var conflict in ex.Conflicts)
            {
                causes.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = conflict.Message, ["field"] = conflict.Field });
            }

            throw new KubeStatusException(new KubeStatus(409, "Conflict", ex.Message) { Causes = causes });
        }
        catch (PatchException ex)
        {
            throw new KubeStatusException(KubeStatus.BadRequest(ex.Message));
        }

        var merged = result.Object;
        if (merged["metadata"] is not JsonObject metadata)
        {
            merged["metadata"] = metadata = new JsonObject();
        }

        metadata["managedFields"] = ManagedFieldsEntry.ToJson(result.ManagedFields);
        var (value, _) = ObjectBodies.Decode(request.Kind, merged.ToJsonString(), FieldValidation.Strict);
        escalation.Check(value, RestCalls.Caller(call));
        if (existing is null)
        {
            var response = await writes.ApplyAsync(new ApplyRequest { Object = value.Wrap(), Mode = ApplyMode.Create, DryRun = DryRun(http) }, call).ConfigureAwait(false);
            AddWarnings(http, [.. warnings, .. response.Warnings]);
            await KubeJson.WriteAsync(http, 201, KubeJson.Encode(response.Object.Unwrap()!)).ConfigureAwait(false);
            return;
        }

        value.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
        try
        {
            await ReplaceAsync(http, call, request, value, warnings).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Aborted)
        {
            throw new KubeStatusException(new KubeStatus(409, "Conflict", ex.Status.Detail));
        }
    }
}
