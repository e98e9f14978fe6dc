using HostDaemons.ControlPlane.Security;
using HostDaemons.ControlPlane.ServiceAccounts;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostDaemons.ControlPlane.Tests.ServiceAccounts;

public sealed class ServiceAccountTokenAuthenticatorTests : IAsyncDisposable
{
    private readonly StoreHarness _harness = new();
    private readonly ServiceAccountSigningKey _key = ServiceAccountSigningKey.Create();
    private readonly ServiceAccountTokens _tokens;
    private readonly ServiceAccountTokenAuthenticator _authenticator;

    public ServiceAccountTokenAuthenticatorTests()
    {
        _tokens = new ServiceAccountTokens(_key, ServiceAccountTokens.DefaultIssuer, _harness.Store, _harness.Time);
        _authenticator = new ServiceAccountTokenAuthenticator(new Lazy<ServiceAccountTokens>(_tokens), _harness.Time, NullLogger<ServiceAccountTokenAuthenticator>.Instance);
    }

    [Fact]
    public async Task A_token_is_the_service_account_user_in_its_groups()
    {
        var account = await Account("sa1");
        var (token, expires) = _tokens.Issue(account, [], TimeSpan.FromHours(1), pod: null, node: null);

        var caller = await Authenticate(token);

        Assert.NotNull(caller);
        Assert.Equal("system:serviceaccount:ns1:sa1", caller.User);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:ns1", "system:authenticated"], caller.Groups);
        Assert.Equal(AuthenticationMethod.BearerToken, caller.Method);
        Assert.Equal(expires, caller.NotAfter);
        Assert.Equal(_harness.Time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), expires.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_token_dies_with_its_service_account_even_when_remembered()
    {
        var account = await Account("sa1");
        var (token, _) = _tokens.Issue(account, [], TimeSpan.FromHours(1), null, null);
        Assert.NotNull(await Authenticate(token));

        await _harness.Store.DeleteAsync<ServiceAccount>("ns1", "sa1", null, StoreHarness.Token);
        Assert.Null(await Authenticate(token));

        // A new account of the same name is another account: the old token stays dead.
        await Account("sa1");
        Assert.Null(await Authenticate(token));
    }

    [Fact]
    public async Task A_pod_bound_token_dies_with_its_pod()
    {
        var account = await Account("sa1");
        var pod = await _harness.Store.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "p1", Namespace = "ns1" },
            Spec = new PodSpec { ServiceAccountName = "sa1", NodeName = "n1" },
        }, StoreHarness.Token);
        var (token, _) = _tokens.Issue(account, [], TimeSpan.FromHours(1), pod, null);
        Assert.NotNull(await Authenticate(token));

        await _harness.Store.DeleteAsync<Pod>("ns1", "p1", null, StoreHarness.Token);

        Assert.Null(await Authenticate(token));
    }

    [Fact]
    public async Task A_remembered_token_still_expires()
    {
        var account = await Account("sa1");
        var (token, _) = _tokens.Issue(account, [], TimeSpan.FromMinutes(10), null, null);
        Assert.NotNull(await Authenticate(token));

        _harness.Time.Advance(TimeSpan.FromMinutes(12));

        Assert.Null(await Authenticate(token));
    }

    [Fact]
    public async Task Expiration_is_capped_at_48_hours()
    {
        var account = await Account("sa1");

        var (_, expires) = _tokens.Issue(account, [], TimeSpan.FromDays(30), null, null);

        Assert.Equal(_harness.Time.GetUtcNow().AddHours(48).ToUnixTimeSeconds(), expires.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_token_for_another_audience_is_not_for_the_API()
    {
        var account = await Account("sa1");
        var (token, _) = _tokens.Issue(account, ["vault"], TimeSpan.FromHours(1), null, null);

        Assert.Null(await Authenticate(token));
    }

    [Fact]
    public async Task The_union_asks_each_authenticator_in_turn()
    {
        var account = await Account("sa1");
        var (token, _) = _tokens.Issue(account, [], TimeSpan.FromHours(1), null, null);
        var union = new UnionTokenAuthenticator([new NoTokenAuthenticator(), _authenticator]);

        Assert.Equal("system:serviceaccount:ns1:sa1", (await union.AuthenticateAsync(token, StoreHarness.Token))?.User);
        Assert.Null(await union.AuthenticateAsync("some-opaque-token", StoreHarness.Token));
    }

    public async ValueTask DisposeAsync()
    {
        _key.Dispose();
        await _harness.DisposeAsync();
    }

    private Task<ServiceAccount> Account(string name) =>
        _harness.Store.CreateAsync(new ServiceAccount { Metadata = new ObjectMeta { Name = name, Namespace = "ns1" } }, StoreHarness.Token);

    private async Task<CallerIdentity?> Authenticate(string token) => await _authenticator.AuthenticateAsync(token, StoreHarness.Token);
}
