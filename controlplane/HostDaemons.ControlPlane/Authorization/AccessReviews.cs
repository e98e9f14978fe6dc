using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Rbac;

namespace HostDaemons.ControlPlane.Authorization;

/// <summary>
/// The self reviews behind <c>kubectl auth can-i</c> and <c>auth whoami</c>: the caller (after impersonation) asks
/// about itself, and gets the same answer a real request would.
/// </summary>
internal sealed class AccessReviews(IAccessAuthorizer authorizer, RbacAuthorizer rbac)
{
    public AccessReviewResponse Review(AccessReviewRequest request, CallerIdentity caller)
    {
        var access = request.NonResourcePath.Length > 0
            ? new AccessRequest(caller, request.Verb, "", "", Path: request.NonResourcePath)
            : new AccessRequest(caller, request.Verb, request.ApiGroup, request.Resource, request.Subresource, request.Namespace, request.Name);
        var decision = authorizer.Authorize(access);
        return new AccessReviewResponse { Allowed = decision.Allowed, Reason = decision.Reason };
    }

    /// <summary>The caller's rules in a namespace; a member of <c>system:masters</c> holds everything, as its authorizer grants.</summary>
    public RulesReviewResponse Rules(RulesReviewRequest request, CallerIdentity caller)
    {
        var response = new RulesReviewResponse();
        if (caller.Groups.Contains(Model.Security.ClusterIdentities.MastersGroup, StringComparer.Ordinal))
        {
            response.ResourceRules.Add(PolicyRuleForms.Rule([PolicyRuleForms.All], [PolicyRuleForms.All], [PolicyRuleForms.All]));
            response.NonResourceRules.Add(PolicyRuleForms.Rule([PolicyRuleForms.All], urls: [PolicyRuleForms.All]));
        }

        var (rules, errors) = rbac.Policy().RulesFor(caller, request.Namespace);
        foreach (var rule in rules)
        {
            if (rule.Resources.Count > 0)
            {
                var resourceRule = rule.Clone();
                resourceRule.NonResourceUrls.Clear();
                response.ResourceRules.Add(resourceRule);
            }

            if (rule.NonResourceUrls.Count > 0)
            {
                response.NonResourceRules.Add(PolicyRuleForms.Rule(rule.Verbs, urls: rule.NonResourceUrls));
            }
        }

        if (errors.Count > 0)
        {
            response.Incomplete = true;
            response.EvaluationError = string.Join("; ", errors);
        }

        return response;
    }

    public static WhoAmIResponse WhoAmI(CallerIdentity caller) => new() { Username = caller.User, Groups = { caller.Groups } };
}
