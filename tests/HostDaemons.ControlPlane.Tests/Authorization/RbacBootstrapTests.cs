using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostDaemons.ControlPlane.Tests.Authorization;

public sealed class RbacBootstrapTests : IAsyncDisposable
{
    private readonly StoreHarness _store = new();

    [Fact]
    public async Task Start_CreatesTheDefaults_MarkedAsBootstrapped()
    {
        using var bootstrap = await StartAsync();

        var names = _store.Store.List<ClusterRole>().Select(r => r.Metadata.Name).ToList();
        Assert.Superset(new HashSet<string> { "cluster-admin", "admin", "edit", "view", "system:basic-user" }, names.ToHashSet());
        var binding = _store.Store.Get<ClusterRoleBinding>("", "cluster-admin")!;
        Assert.Equal(("Group", "system:masters"), (binding.Subjects.Single().Kind, binding.Subjects.Single().Name));
        Assert.Equal("rbac-defaults", binding.Metadata.Labels[DefaultClusterRoles.BootstrappingLabel]);
        await bootstrap.StopAsync(StoreHarness.Token);
    }

    [Fact]
    public async Task DeletedDefault_IsCreatedAgain()
    {
        using var bootstrap = await StartAsync();

        await _store.Store.DeleteAsync<ClusterRoleBinding>("", "cluster-admin", null, StoreHarness.Token);

        await AsyncTestHelpers.WaitUntilAsync(() => _store.Store.Get<ClusterRoleBinding>("", "cluster-admin") is not null, "the cluster-admin binding comes back");
        await bootstrap.StopAsync(StoreHarness.Token);
    }

    [Fact]
    public async Task Restart_GivesBackLostRules_UnlessAutoupdateIsFalse()
    {
        using (var first = await StartAsync())
        {
            await first.StopAsync(StoreHarness.Token);
        }

        await _store.Store.MutateAsync<ClusterRole>("", "system:aggregate-to-view", r =>
        {
            r.Rules.Clear();
            return true;
        }, StoreHarness.Token);
        await _store.Store.MutateAsync<ClusterRole>("", "system:basic-user", r =>
        {
            r.Rules.Clear();
            r.Metadata.Annotations[DefaultClusterRoles.AutoUpdateAnnotation] = "false";
            return true;
        }, StoreHarness.Token);

        using var second = await StartAsync();

        Assert.NotEmpty(_store.Store.Get<ClusterRole>("", "system:aggregate-to-view")!.Rules);
        Assert.Empty(_store.Store.Get<ClusterRole>("", "system:basic-user")!.Rules);
        await second.StopAsync(StoreHarness.Token);
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private async Task<RbacBootstrap> StartAsync()
    {
        var bootstrap = new RbacBootstrap(_store.Store, NullLogger<RbacBootstrap>.Instance);
        await bootstrap.StartAsync(StoreHarness.Token);
        return bootstrap;
    }
}
