using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Joining;
using HostDaemons.ControlPlane.Security;
using HostDaemons.ControlPlane.Tests.Security;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using JoinAdminServiceImpl = HostDaemons.ControlPlane.Api.JoinAdminService;

namespace HostDaemons.ControlPlane.Tests.Joining;

public sealed class JoinAdminServiceTests : IAsyncDisposable
{
    private const string Listen = "https://127.0.0.1:7443";

    private readonly TempDirectory _data = new("hd-join-admin");
    private readonly StoreHarness _store = new();
    private readonly ServiceProvider _services;

    public JoinAdminServiceTests()
    {
        var pki = ClusterPki.Open(new ControlPlaneOptions { DataDir = _data.Path, Listen = Listen }, ListenEndpoint.Parse(Listen), _store.Time, NullLogger<ClusterPki>.Instance);
        _services = new ServiceCollection().AddSingleton(pki).BuildServiceProvider();
    }

    [Fact]
    public async Task CreateJoinToken_Administrator_GetsATokenPinningThisCa_ListShowsItWithoutTheSecret()
    {
        var service = Service(Listen);

        var created = await service.CreateJoinToken(new CreateJoinTokenRequest { TtlSeconds = 3600, NodeName = "web-01", Description = "rack 4" }, As(TestIdentities.Admin));
        var listed = await service.ListJoinTokens(new ListJoinTokensRequest(), As(TestIdentities.Admin));

        Assert.True(JoinToken.TryParse(created.Token, out var token, out _));
        Assert.Equal(_services.GetRequiredService<ClusterPki>().Pin, token.CaPin);
        var info = Assert.Single(listed.Tokens);
        Assert.Equal((token.Id, "web-01", "rack 4"), (info.Id, info.NodeName, info.Description));
        Assert.Equal(_store.Time.GetUtcNow() + TimeSpan.FromHours(1), info.Expires.ToDateTimeOffset());
        Assert.Equal(["authentication"], info.Usages);
        Assert.DoesNotContain(token.Secret, listed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateJoinToken_DevelopmentMode_FailedPrecondition()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Service("http://127.0.0.1:7070").CreateJoinToken(new CreateJoinTokenRequest(), As(CallerIdentity.DevelopmentAdministrator)));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
    }

    [Theory]
    [InlineData(-1, "", "--ttl must be more than 0")]
    [InlineData(3600, "Not_A_Name", "--node-name \"Not_A_Name\" is not a valid node name")]
    public async Task CreateJoinToken_BadRequest_InvalidArgument(long ttlSeconds, string nodeName, string expected)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Service(Listen).CreateJoinToken(new CreateJoinTokenRequest { TtlSeconds = ttlSeconds, NodeName = nodeName }, As(TestIdentities.Admin)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(expected, ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteJoinToken_ByIdOrWholeToken_ThenNotFound()
    {
        var service = Service(Listen);
        var first = await service.CreateJoinToken(new CreateJoinTokenRequest(), As(TestIdentities.Admin));
        var second = await service.CreateJoinToken(new CreateJoinTokenRequest(), As(TestIdentities.Admin));

        await service.DeleteJoinToken(new DeleteJoinTokenRequest { Id = first.Info.Id }, As(TestIdentities.Admin));
        await service.DeleteJoinToken(new DeleteJoinTokenRequest { Id = second.Token }, As(TestIdentities.Admin));
        var again = await Assert.ThrowsAsync<RpcException>(() => service.DeleteJoinToken(new DeleteJoinTokenRequest { Id = first.Info.Id }, As(TestIdentities.Admin)));

        Assert.Equal(StatusCode.NotFound, again.StatusCode);
        Assert.Equal($"bootstrap token \"{first.Info.Id}\" not found", again.Status.Detail);
        Assert.Empty((await service.ListJoinTokens(new ListJoinTokensRequest(), As(TestIdentities.Admin))).Tokens);
    }

    private JoinAdminServiceImpl Service(string listen) =>
        new(new JoinTokens(_store.Store, _store.Time), new NodeIdentities(_store.Store, _store.Time), ListenEndpoint.Parse(listen), _services);

    private static TestServerCallContext As(CallerIdentity caller)
    {
        var context = new TestServerCallContext(cancellationToken: TestContext.Current.CancellationToken);
        caller.AttachTo(context);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _store.DisposeAsync();
        _data.Dispose();
    }
}
