using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Commands;
using HostDaemons.Model.Serialization;

namespace HostDaemons.Cli.Tests.Commands;

/// <summary>hdctl apply's input budgets: the file size, the decoder's alias budget, and the server's size refusal.</summary>
public sealed class ApplyInputBudgetTests : IDisposable
{
    private readonly TempDirectory _temp = new("hdctl-budget");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Apply_FileOverTheManifestFileLimit_RefusedUnreadNamingTheFile()
    {
        var path = _temp.Combine("huge.yaml");
        await using (var file = File.Create(path))
        {
            file.SetLength(InputLimits.MaxManifestFileBytes + 1);
        }

        var (code, _, error) = await HdctlRunner.RunAsync("apply", "-f", path);

        Assert.NotEqual(0, code);
        Assert.Equal($"error: {path} is larger than the 33554432 bytes a manifest file may have\n", error);
    }

    [Fact]
    public async Task Apply_AliasBombDaemonSet_RefusedNamingFileAndLine()
    {
        var path = _temp.Combine("bomb.yaml");
        await File.WriteAllTextAsync(path, AliasBombs.DaemonSet(), TestContext.Current.CancellationToken);

        var (code, _, error) = await HdctlRunner.RunAsync("apply", "-f", path);

        Assert.NotEqual(0, code);
        Assert.StartsWith($"error: {path}:{AliasBombs.DaemonSetAliasLine}:", error, StringComparison.Ordinal);
        Assert.Contains("document contains excessive aliasing", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_ServerRefusesTheSize_WordedAsKubectl()
    {
        var client = new FakeApplyClient
        {
            Respond = _ => throw new RpcException(new Status(StatusCode.ResourceExhausted, InputLimits.RequestEntityTooLarge)),
        };
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };

        var code = await ApplyCommand.ApplyAsync(client, ManifestReader.Read(TestManifests.DaemonSet, "x.yaml").Objects, ApplyMode.Apply, DryRunStrategy.None,
            output, error, TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.NotEqual(0, code);
        Assert.Equal("Error from server (RequestEntityTooLarge): error when creating \"x.yaml\": Request entity too large: limit is 3145728\n", error.ToString());
    }
}
