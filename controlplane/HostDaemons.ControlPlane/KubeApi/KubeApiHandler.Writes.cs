using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>Writes: create (POST), update (PUT), delete, deletecollection and eviction, through the same rules as hdctl's.</summary>
internal sealed partial class KubeApiHandler
{
    private async Task CreateAsync(HttpContext http, RestCallContext call, KubeRequest request)
    {
        var (value, warnings) = ObjectBodies.Decode(request.Kind, await BodyAsync(http).ConfigureAwait(false), FieldValidationOf(http));
        value.Metadata ??= new Model.V1.ObjectMeta();
        MatchNamespace(value, request);
        if (value.Metadata.Name.Length == 0 && value.Metadata.GenerateName.Length > 0)
        {
            value.Metadata.Name = value.Metadata.GenerateName + GeneratedSuffix();
        }

        escalation.Check(value, RestCalls.Caller(call));
        var response = await writes.ApplyAsync(new ApplyRequest { Object = value.Wrap(), Mode = ApplyMode.Create, DryRun = DryRun(http) }, call).ConfigureAwait(false);
        AddWarnings(http, [.. warnings, .. response.Warnings]);
        await KubeJson.WriteAsync(http, 201, KubeJson.Encode(response.Object.Unwrap()!)).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext http, RestCallContext call, KubeRequest request)
    {
        var (value, warnings) = ObjectBodies.Decode(request.Kind, await BodyAsync(http).ConfigureAwait(false), FieldValidationOf(http));
        await ReplaceAsync(http, call, request, value, warnings).ConfigureAwait(false);
    }

    private async Task ReplaceAsync(HttpContext http, RestCallContext call, KubeRequest request, IKubeObject value, IReadOnlyList<string> warnings)
    {
        value.Metadata ??= new Model.V1.ObjectMeta();
        MatchNamespace(value, request);
        if (value.Metadata.Name != request.Name)
        {
            throw new KubeStatusException(KubeStatus.BadRequest($"the name of the object ({value.Metadata.Name}) does not match the name on the URL ({request.Name})"));
        }

        escalation.Check(value, RestCalls.Caller(call));
        var scope = request.Subresource == "status" ? ReplaceScope.Status : ReplaceScope.Object;
        var (updated, admission) = await replacer.ReplaceAsync(value, scope, DryRun(http), call).ConfigureAwait(false);
        AddWarnings(http, [.. warnings, .. admission]);
        await KubeJson.WriteAsync(http, 200, KubeJson.Encode(updated)).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext http, RestCallContext call, KubeRequest request)
    {
        var options = await DeleteOptionsAsync(http).ConfigureAwait(false);
        var existing = Get(request);
        CheckPreconditions(options, existing);
        if (DryRun(http) || options.DryRun)
        {
            await KubeJson.WriteAsync(http, 200, KubeJson.Encode(existing)).ConfigureAwait(false);
            return;
        }

        var response = await writes.DeleteAsync(DeleteRequestFor(request.Kind, existing, options), call.CancellationToken).ConfigureAwait(false);
        AddWarnings(http, response.Warnings);
        var remaining = store.Get(new ObjectKey(request.Kind.Kind, request.Namespace, request.Name));
        await KubeJson.WriteAsync(http, 200, KubeJson.Encode(remaining is not null && remaining.Metadata.Uid == existing.Metadata.Uid ? remaining : existing))
            .ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext http, RestCallContext call, KubeRequest request)
    {
        var options = await DeleteOptionsAsync(http).ConfigureAwait(false);
        var selection = Selection(http, request);
        var items = store.List(request.Kind.Kind, selection.Namespace).Where(selection.Contains).ToList();
        if (!DryRun(http) && !options.DryRun)
        {
            foreach (var item in items)
            {
                await writes.DeleteAsync(DeleteRequestFor(request.Kind, item, options), call.CancellationToken).ConfigureAwait(false);
            }
        }

        await KubeJson.WriteAsync(http, 200, KubeJson.List(request.Kind, items, store.Revision.ToString(CultureInfo.InvariantCulture), null, null)).ConfigureAwait(false);
    }

    /// <summary>An Eviction (kubectl drain): there are no disruption budgets, so it is the pod's graceful deletion.</summary>
    private async Task EvictAsync(HttpContext http, RestCallContext call, KubeRequest request)
    {
        var text = await BodyAsync(http).ConfigureAwait(false);
        var options = ParseDeleteOptions(text.Length == 0 ? null : (JsonNode.Parse(text) as JsonObject)?["deleteOptions"] as JsonObject);
        var pod = Get(request with { Subresource = "" });
        CheckPreconditions(options, pod);
        if (!DryRun(http) && !options.DryRun)
        {
            await writes.DeleteAsync(DeleteRequestFor(request.Kind, pod, options), call.CancellationToken).ConfigureAwait(false);
        }

        await KubeJson.WriteAsync(http, 201, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["code"] = 201,
        }).ConfigureAwait(false);
    }

    private static DeleteRequest DeleteRequestFor(ResourceKindInfo kind, IKubeObject target, DeleteOptions options)
    {
        var delete = new DeleteRequest
        {
            Ref = new HostDaemons.Api.V1.ObjectReference { Kind = kind.Kind, Namespace = target.Metadata.Namespace, Name = target.Metadata.Name },
            PropagationPolicy = options.PropagationPolicy ?? "",
            Force = options.GracePeriodSeconds == 0,
        };
        if (options.GracePeriodSeconds is { } grace)
        {
            delete.GracePeriodSeconds = grace;
        }

        return delete;
    }

    /// <summary>Kubernetes' DeleteOptions, from the body (kubectl sends one) and the query.</summary>
    private sealed record DeleteOptions(string? PropagationPolicy, long? GracePeriodSeconds, string? Uid, string? ResourceVersion, bool DryRun);

    private static async Task<DeleteOptions> DeleteOptionsAsync(HttpContext http)
    {
        var text = await BodyAsync(http).ConfigureAwait(false);
        var options = ParseDeleteOptions(text.Length == 0 ? null : ParseJson(text) as JsonObject);
        var query = http.Request.Query;
        if (query["propagationPolicy"] is { Count: > 0 } policy)
        {
            options = options with { PropagationPolicy = policy[0] };
        }

        if (query["gracePeriodSeconds"] is { Count: > 0 } grace && long.TryParse(grace[0], CultureInfo.InvariantCulture, out var seconds))
        {
            options = options with { GracePeriodSeconds = seconds };
        }

        return options;
    }

    private static DeleteOptions ParseDeleteOptions(JsonObject? body)
    {
        try
        {
            return new DeleteOptions(
                (string?)body?["propagationPolicy"],
                (long?)body?["gracePeriodSeconds"],
                (string?)body?["preconditions"]?["uid"],
                (string?)body?["preconditions"]?["resourceVersion"],
                body?["dryRun"] is JsonArray dryRun && dryRun.Any(v => (string?)v == "All"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new KubeStatusException(KubeStatus.BadRequest("DeleteOptions: " + ex.Message));
        }
    }

    private static void CheckPreconditions(DeleteOptions options, IKubeObject existing)
    {
        if (options.Uid is { Length: > 0 } uid && uid != existing.Metadata.Uid)
        {
            throw new KubeStatusException(new KubeStatus(409, "Conflict",
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Metadata.Uid}"));
        }

        if (options.ResourceVersion is { Length: > 0 } version && version != existing.Metadata.ResourceVersion)
        {
            throw new KubeStatusException(new KubeStatus(409, "Conflict",
                $"Precondition failed: ResourceVersion in precondition: {version}, ResourceVersion in object meta: {existing.Metadata.ResourceVersion}"));
        }
    }

    private static void MatchNamespace(IKubeObject value, KubeRequest request)
    {
        if (!request.Kind.Namespaced)
        {
            return;
        }

        if (value.Metadata.Namespace.Length == 0)
        {
            value.Metadata.Namespace = request.Namespace;
        }
        else if (value.Metadata.Namespace != request.Namespace)
        {
            throw new KubeStatusException(KubeStatus.BadRequest("the namespace of the provided object does not match the namespace sent on the request"));
        }
    }

    private static FieldValidation FieldValidationOf(HttpContext http) => ObjectBodies.ParseFieldValidation(http.Request.Query["fieldValidation"].ToString());

    private static async Task<string> BodyAsync(HttpContext http) =>
        await RequestBodies.ReadAsync(http, InputLimits.MaxRequestBytes).ConfigureAwait(false)
            ?? throw new KubeStatusException(KubeStatus.RequestEntityTooLarge(InputLimits.RequestEntityTooLarge));

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 100 });
        }
        catch (JsonException ex)
        {
            throw new KubeStatusException(KubeStatus.BadRequest("the request body is not valid JSON: " + ex.Message));
        }
    }

    /// <summary>generateName's suffix: five characters of Kubernetes' alphabet (no vowels, no look-alikes).</summary>
    private static string GeneratedSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
