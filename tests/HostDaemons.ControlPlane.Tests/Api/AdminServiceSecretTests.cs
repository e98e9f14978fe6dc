using Google.Protobuf;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class AdminServiceSecretTests : IAsyncLifetime
{
    private readonly AdminServiceHarness _api = new();

    private static TestServerCallContext Context => TestServerCallContext.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    /// <summary>A registry secret as hdctl sends it after its defaults.</summary>
    private static Secret RegistrySecret(string password = "s3cret", string type = SecretTypes.DockerConfigJson)
    {
        var secret = new Secret { Metadata = new ObjectMeta { Name = "regcred" }, Type = type };
        secret.Data[SecretTypes.DockerConfigJsonKey] = ByteString.CopyFrom(DockerConfigJson.Build("r.io", "alice", password, ""));
        return secret;
    }

    private Task<ApplyResponse> ApplyAsync(Secret secret, ApplyMode mode = ApplyMode.Apply) =>
        _api.Service.Apply(new ApplyRequest { Object = secret.Wrap(), Mode = mode }, Context).DefaultTimeout();

    private static ObjectReference Ref(string name) => new() { Kind = ResourceKind.Secret, Name = name };

    [Fact]
    public async Task Apply_NewThenSameThenChanged_CreatedUnchangedConfigured()
    {
        var created = await ApplyAsync(RegistrySecret());
        var unchanged = await ApplyAsync(RegistrySecret());
        var configured = await ApplyAsync(RegistrySecret("rotated"));

        Assert.Equal(ApplyOutcome.Created, created.Outcome);
        Assert.Equal(ApplyOutcome.Unchanged, unchanged.Outcome);
        Assert.Equal(ApplyOutcome.Configured, configured.Outcome);
        var stored = _api.Store.Get<Secret>("default", "regcred")!;
        Assert.Equal("rotated", DockerConfigJson.Read(stored).Single().Password);
        Assert.Equal(created.Object.Secret.Metadata.Uid, stored.Metadata.Uid);
    }

    [Fact]
    public async Task Apply_StringDataWithoutType_StoresOpaqueDataOnly()
    {
        var secret = new Secret { Metadata = new ObjectMeta { Name = "plain" }, StringData = { ["token"] = "abc" } };

        var created = (await ApplyAsync(secret)).Object.Secret;

        Assert.Equal("Opaque", created.Type);
        Assert.Equal("default", created.Metadata.Namespace);
        Assert.Equal("abc", created.Data["token"].ToStringUtf8());
        Assert.Empty(created.StringData);
    }

    [Fact]
    public async Task Apply_CreateModeOnExisting_AlreadyExists()
    {
        await ApplyAsync(RegistrySecret());

        var ex = await Assert.ThrowsAsync<RpcException>(() => ApplyAsync(RegistrySecret(), ApplyMode.Create));

        Assert.Equal(StatusCode.AlreadyExists, ex.StatusCode);
        Assert.Equal("secrets \"regcred\" already exists", ex.Status.Detail);
    }

    [Fact]
    public async Task Apply_DockerConfigJsonWithoutKey_IsInvalid()
    {
        var secret = new Secret { Metadata = new ObjectMeta { Name = "regcred" }, Type = SecretTypes.DockerConfigJson };

        var ex = await Assert.ThrowsAsync<RpcException>(() => ApplyAsync(secret));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("The Secret \"regcred\" is invalid: data[.dockerconfigjson]: Required value", ex.Status.Detail);
    }

    [Fact]
    public async Task Apply_ChangedType_IsImmutable()
    {
        await ApplyAsync(RegistrySecret());
        var opaque = RegistrySecret(type: SecretTypes.Opaque);

        var ex = await Assert.ThrowsAsync<RpcException>(() => ApplyAsync(opaque));

        Assert.Equal("The Secret \"regcred\" is invalid: type: Invalid value: \"Opaque\": field is immutable", ex.Status.Detail);
    }

    [Fact]
    public async Task Get_Secret_ReturnsItsData()
    {
        await ApplyAsync(RegistrySecret());

        var found = await _api.Service.Get(new GetRequest { Ref = Ref("regcred") }, Context).DefaultTimeout();

        Assert.Equal("alice", DockerConfigJson.Read(found.Secret).Single().Username);
    }

    [Fact]
    public async Task List_Secrets_ListsOnlySecrets()
    {
        await ApplyAsync(RegistrySecret());

        var list = await _api.Service.List(new ListRequest { Kind = ResourceKind.Secret }, Context).DefaultTimeout();

        Assert.Equal("regcred", Assert.Single(list.Items).Secret.Metadata.Name);
    }

    [Fact]
    public async Task Delete_Secret_RemovesIt()
    {
        await ApplyAsync(RegistrySecret());

        await _api.Service.Delete(new DeleteRequest { Ref = Ref("regcred") }, Context).DefaultTimeout();

        Assert.Null(_api.Store.Get<Secret>("default", "regcred"));
    }

    [Fact]
    public async Task Label_Secret_ChangesItsLabels()
    {
        await ApplyAsync(RegistrySecret());

        await _api.Service.Label(new LabelRequest { Ref = Ref("regcred"), Set = { ["team"] = "infra" } }, Context).DefaultTimeout();

        Assert.Equal("infra", _api.Store.Get<Secret>("default", "regcred")!.Metadata.Labels["team"]);
    }
}
