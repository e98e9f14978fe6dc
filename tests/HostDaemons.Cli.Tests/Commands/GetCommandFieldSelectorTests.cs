using Grpc.Core;
using HostDaemons.Cli.Commands;
using HostDaemons.Model.Objects;
using static HostDaemons.Cli.Tests.HdctlRunner;

namespace HostDaemons.Cli.Tests.Commands;

/// <summary><c>--field-selector</c> on get and delete: what is refused before the server is asked, and how its refusals read.</summary>
public sealed class GetCommandFieldSelectorTests
{
    [Theory]
    [InlineData("get", "pods", "x", "--field-selector", "spec.nodeName=n1")]
    [InlineData("delete", "pod", "x", "--field-selector", "spec.nodeName=n1")]
    public async Task Run_NameAndFieldSelector_KubectlsErrorWithoutContactingTheServer(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal((1, "", "error: name cannot be provided when a selector is specified\n"), (code, output, error));
    }

    [Fact]
    public async Task Run_DeleteAllWithFieldSelector_KubectlsError()
    {
        var (code, _, error) = await RunAsync("delete", "pods", "--all", "--field-selector", "spec.nodeName=n1");

        Assert.Equal((1, "error: cannot set --all and --field-selector at the same time\n"), (code, error));
    }

    [Theory]
    [InlineData("get", "pods", "--field-selector", "spec.nodeName=n1")]
    [InlineData("get", "pods", "--field-selector=spec.nodeName=n1", "-w")]
    [InlineData("get", "pods", "-A", "--field-selector", "status.phase!=Running")]
    [InlineData("delete", "pods", "--field-selector", "spec.nodeName=n1")]
    public async Task Run_FieldSelector_AcceptedAndSentToTheServer(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(1, code);
        Assert.Contains("127.0.0.1:1", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pods", "", "foo=bar", "Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"foo=bar\": field label not supported: foo")]
    [InlineData("ds", "app=x", "a=b", "Unable to find \"apps/v1, Resource=daemonsets\" that match label selector \"app=x\", field selector \"a=b\": field label not supported: foo")]
    public void SelectorError_ServerRefusal_WordedAsKubectlWordsIt(string noun, string labels, string fields, string expected)
    {
        var refusal = new RpcException(new Status(StatusCode.InvalidArgument, "field label not supported: foo"));

        var error = GetCommand.SelectorError(refusal, ResourceKinds.FindByNoun(noun)!, labels, fields);

        Assert.Equal((StatusCode.InvalidArgument, expected), (error.StatusCode, error.Status.Detail));
    }
}
