using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.AdminServiceHarness;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

/// <summary>undo, restart and set image through the admin API, with kubectl's errors.</summary>
public sealed class AdminServiceRolloutTests : IAsyncLifetime
{
    private readonly AdminServiceHarness _api = new();

    private static TestServerCallContext Context => TestServerCallContext.Create();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private async Task<DaemonSet> CreateAsync(params string[] historyImages)
    {
        var ds = DaemonSet();
        ds.Metadata.Uid = "";
        ds = await _api.Store.CreateAsync(ds, Token).DefaultTimeout();
        var number = 0;
        foreach (var image in historyImages)
        {
            var version = ds.Clone();
            version.Spec.Template.Spec.Containers[0].Image = image;
            await _api.Store.CreateAsync(ControllerRevisions.Snapshot(version, ControllerRevisions.Hash(version), ++number), Token).DefaultTimeout();
        }

        return ds;
    }

    [Fact]
    public async Task Rollback_Default_GoesToTheRevisionBeforeTheNewest()
    {
        await CreateAsync("busybox:1", "busybox:2", "busybox:1.36");

        var response = await _api.Service.Rollback(new RollbackRequest { Name = "agent" }, Context).DefaultTimeout();

        Assert.False(response.Skipped);
        Assert.Equal(2, response.Revision.Revision);
        var stored = _api.Store.Get<DaemonSet>("default", "agent")!;
        Assert.Equal("busybox:2", stored.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(2, stored.Metadata.Generation);
    }

    [Fact]
    public async Task Rollback_ToTheCurrentTemplate_IsSkipped()
    {
        await CreateAsync("busybox:1", "busybox:1.36");

        var response = await _api.Service.Rollback(new RollbackRequest { Name = "agent", ToRevision = 2 }, Context).DefaultTimeout();

        Assert.True(response.Skipped);
        Assert.Equal(1, _api.Store.Get<DaemonSet>("default", "agent")!.Metadata.Generation);
    }

    [Fact]
    public async Task Rollback_DryRun_ChangesNothing()
    {
        await CreateAsync("busybox:1", "busybox:1.36");

        var response = await _api.Service.Rollback(new RollbackRequest { Name = "agent", DryRun = true }, Context).DefaultTimeout();

        Assert.Equal("busybox:1", response.DaemonSet.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal("busybox:1.36", _api.Store.Get<DaemonSet>("default", "agent")!.Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task Rollback_Errors_AreKubectls()
    {
        await CreateAsync("busybox:1.36");

        Assert.Equal("no last revision to roll back to",
            (await FailsAsync(() => _api.Service.Rollback(new RollbackRequest { Name = "agent" }, Context), StatusCode.FailedPrecondition)).Status.Detail);
        Assert.Equal("unable to find specified revision 7 in history",
            (await FailsAsync(() => _api.Service.Rollback(new RollbackRequest { Name = "agent", ToRevision = 7 }, Context), StatusCode.FailedPrecondition)).Status.Detail);
        Assert.Equal("daemonsets.apps \"nope\" not found",
            (await FailsAsync(() => _api.Service.Rollback(new RollbackRequest { Name = "nope" }, Context), StatusCode.NotFound)).Status.Detail);
    }

    [Fact]
    public async Task SetImage_NamedAndWildcard_ChangesTheTemplateOnce()
    {
        await CreateAsync();

        var response = await _api.Service.SetImage(new SetImageRequest { Name = "agent", Images = { ["main"] = "busybox:2" } }, Context).DefaultTimeout();
        var again = await _api.Service.SetImage(new SetImageRequest { Name = "agent", Images = { ["*"] = "busybox:2" } }, Context).DefaultTimeout();

        Assert.True(response.Changed);
        Assert.False(again.Changed);
        Assert.Equal(2, _api.Store.Get<DaemonSet>("default", "agent")!.Metadata.Generation);
        Assert.Equal("unable to find container named \"other\"",
            (await FailsAsync(() => _api.Service.SetImage(new SetImageRequest { Name = "agent", Images = { ["other"] = "x" } }, Context), StatusCode.FailedPrecondition)).Status.Detail);
    }

    [Fact]
    public async Task RestartRollout_SetsRestartedAtOnTheTemplate()
    {
        await CreateAsync();

        await _api.Service.RestartRollout(new RestartRolloutRequest { Name = "agent" }, Context).DefaultTimeout();

        var stored = _api.Store.Get<DaemonSet>("default", "agent")!;
        Assert.Equal(_api.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            stored.Spec.Template.Metadata.Annotations["kubectl.kubernetes.io/restartedAt"]);
        Assert.Equal(2, stored.Metadata.Generation);
    }
}
