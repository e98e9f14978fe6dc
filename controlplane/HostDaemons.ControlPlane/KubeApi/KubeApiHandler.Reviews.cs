using System.Text.Json.Nodes;
using HostDaemons.Api.V1;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// SelfSubjectAccessReview (<c>kubectl auth can-i</c>), SelfSubjectRulesReview (<c>can-i --list</c>) and
/// SelfSubjectReview (<c>kubectl auth whoami</c>): answered from RBAC about the caller, never stored.
/// </summary>
internal sealed partial class KubeApiHandler
{
    private async Task ReviewAsync(HttpContext http, RestCallContext call, string groupVersion, string plural)
    {
        var caller = RestCalls.Caller(call);
        calls.Authorize(call, new Authorization.AccessRequest(caller, "create", groupVersion[..groupVersion.IndexOf('/', StringComparison.Ordinal)], plural));
        var body = ParseJson(await BodyAsync(http).ConfigureAwait(false)) as JsonObject ?? [];
        var spec = body["spec"] as JsonObject ?? [];
        JsonObject status;
        string kind;
        switch (groupVersion, plural)
        {
            case ("authorization.k8s.io/v1", "selfsubjectaccessreviews"):
                kind = "SelfSubjectAccessReview";
                var resource = spec["resourceAttributes"] as JsonObject;
                var nonResource = spec["nonResourceAttributes"] as JsonObject;
                var review = reviews.Review(new AccessReviewRequest
                {
                    Verb = (string?)(resource ?? nonResource)?["verb"] ?? "",
                    ApiGroup = (string?)resource?["group"] ?? "",
                    Resource = (string?)resource?["resource"] ?? "",
                    Subresource = (string?)resource?["subresource"] ?? "",
                    Namespace = (string?)resource?["namespace"] ?? "",
                    Name = (string?)resource?["name"] ?? "",
                    NonResourcePath = (string?)nonResource?["path"] ?? "",
                }, caller);
                status = new JsonObject { ["allowed"] = review.Allowed };
                if (review.Reason.Length > 0)
                {
                    status["reason"] = review.Reason;
                }

                break;
            case ("authorization.k8s.io/v1", "selfsubjectrulesreviews"):
                kind = "SelfSubjectRulesReview";
                var rules = reviews.Rules(new RulesReviewRequest { Namespace = (string?)spec["namespace"] ?? "" }, caller);
                var resourceRules = new JsonArray();
                foreach (var rule in rules.ResourceRules)
                {
                    resourceRules.Add(new JsonObject
                    {
                        ["verbs"] = KubeJson.Strings(rule.Verbs),
                        ["apiGroups"] = KubeJson.Strings(rule.ApiGroups),
                        ["resources"] = KubeJson.Strings(rule.Resources),
                        ["resourceNames"] = KubeJson.Strings(rule.ResourceNames),
                    });
                }

                var nonResourceRules = new JsonArray();
                foreach (var rule in rules.NonResourceRules)
                {
                    nonResourceRules.Add(new JsonObject { ["verbs"] = KubeJson.Strings(rule.Verbs), ["nonResourceURLs"] = KubeJson.Strings(rule.NonResourceUrls) });
                }

                status = new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = rules.Incomplete };
                if (rules.EvaluationError.Length > 0)
                {
                    status["evaluationError"] = rules.EvaluationError;
                }

                break;
            case ("authentication.k8s.io/v1", "selfsubjectreviews"):
                kind = "SelfSubjectReview";
                var who = Authorization.AccessReviews.WhoAmI(caller);
                status = new JsonObject { ["userInfo"] = new JsonObject { ["username"] = who.Username, ["groups"] = KubeJson.Strings(who.Groups) } };
                break;
            default:
                throw new KubeStatusException(KubeStatus.NotFound("the server could not find the requested resource"));
        }

        var answer = new JsonObject
        {
            ["kind"] = kind,
            ["apiVersion"] = groupVersion,
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
        };
        if (kind != "SelfSubjectReview")
        {
            answer["spec"] = spec.DeepClone();
        }

        answer["status"] = status;
        await KubeJson.WriteAsync(http, 201, answer).ConfigureAwait(false);
    }
}
