using HostDaemons.Api.V1;
using HostDaemons.Cli.Commands;
using static HostDaemons.Model.Rbac.PolicyRuleForms;

namespace HostDaemons.Cli.Tests.Commands;

public sealed class AuthCommandTests
{
    [Theory]
    [InlineData("pods", "", "pods", "", "default", "")]
    [InlineData("ds", "apps", "daemonsets", "", "default", "")]
    [InlineData("daemonsets.apps/x", "apps", "daemonsets", "", "default", "x")]
    [InlineData("pods/log", "", "pods", "log", "default", "")]
    [InlineData("pods/web-1", "", "pods", "", "default", "web-1")]
    [InlineData("nodes", "", "nodes", "", "", "")]
    [InlineData("*", "", "*", "", "default", "")]
    public void ReviewRequest_ResourcesAsKubectlNamesThem(string target, string group, string resource, string subresource, string ns, string name)
    {
        var request = CanICommand.ReviewRequest(["get", target], "default", "", out var warning);

        Assert.Equal((group, resource, subresource, ns, name), (request.ApiGroup, request.Resource, request.Subresource, request.Namespace, request.Name));
        Assert.Null(warning);
    }

    [Fact]
    public void ReviewRequest_UnknownResource_AskedAsGiven_WithKubectlsWarning()
    {
        var request = CanICommand.ReviewRequest(["impersonate", "users", "alice"], "default", "", out var warning);

        Assert.Equal(("", "users", "alice"), (request.ApiGroup, request.Resource, request.Name));
        Assert.Equal("Warning: the server doesn't have a resource type 'users'", warning);
    }

    [Fact]
    public void ReviewRequest_NonResourceUrl() =>
        Assert.Equal("/version", CanICommand.ReviewRequest(["get", "/version"], "default", "", out _).NonResourcePath);

    [Fact]
    public void RulesTable_AsKubectlPrintsIt()
    {
        var response = new RulesReviewResponse
        {
            ResourceRules = { Rule(["get", "list"], ["apps"], ["daemonsets"]), Rule(["watch"], ["apps"], ["daemonsets"]), Rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews"]) },
            NonResourceRules = { Rule(["get"], urls: ["/version", "/healthz"]) },
        };

        Assert.Equal(
            "Resources                                       Non-Resource URLs   Resource Names   Verbs\n"
            + "daemonsets.apps                                 []                  []               [get list watch]\n"
            + "selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]\n"
            + "                                                [/healthz]          []               [get]\n"
            + "                                                [/version]          []               [get]\n",
            CanICommand.RulesTable(response, noHeaders: false));
    }

    [Fact]
    public async Task CanI_WithoutTwoArguments_IsAnErrorBeforeAnyCall()
    {
        var (code, _, error) = await HdctlRunner.RunAsync("auth", "can-i", "get");

        Assert.Equal(1, code);
        Assert.StartsWith("error: you must specify two arguments: verb resource or verb resource/resourceName.", error, StringComparison.Ordinal);
    }
}
