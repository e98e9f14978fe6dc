using Grpc.Core;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Joining;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using AdminServiceImpl = HostDaemons.ControlPlane.Api.AdminService;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>An admin API wired as the control plane wires it, over its own <see cref="StoreHarness"/>.</summary>
internal sealed class AdminServiceHarness : IAsyncDisposable
{
    private readonly StoreHarness _store;
    private readonly FakeHostApplicationLifetime _lifetime = new();

    public AdminServiceHarness(InMemoryStorageBackend? backend = null)
    {
        _store = new StoreHarness(backend);
        Service = Create(_store, _lifetime);
    }

    public AdminServiceImpl Service { get; }

    public ObjectStore Store => _store.Store;

    public FakeTimeProvider Time => _store.Time;

    /// <summary>
    /// An admin API over a store the caller owns, its streaming calls ending when <paramref name="lifetime"/> stops; it
    /// shares <paramref name="mirrors"/> with a node API over the same store, when given.
    /// </summary>
    public static AdminServiceImpl Create(StoreHarness store, IHostApplicationLifetime lifetime, MirrorPods? mirrors = null, PodSecurityAdmission? podSecurity = null)
    {
        podSecurity ??= PodSecurity(store.Store);
        var writes = new ObjectWrites(store.Store, new ObjectApplier(store.Store, store.Time), new PodTerminator(store.Store, store.Time),
            mirrors ?? new MirrorPods(store.Store, new EventRecorder(store.Store, store.Time), PodSecurity(store.Store), store.Time, NullLogger<MirrorPods>.Instance),
            Revocation(store), podSecurity, store.Time);
        return new(store.Store, writes, new AgentTunnels(), new StreamingCalls(lifetime), podSecurity, store.Time, Reviews(store));
    }

    /// <summary>Pod Security admission over <paramref name="store"/>, with the control plane's default (privileged) unless told, and no authorizer unless given.</summary>
    public static PodSecurityAdmission PodSecurity(IObjectStore store, string defaultLevel = "privileged", IAccessAuthorizer? authorizer = null) =>
        new(store, Options.Create(new ControlPlaneOptions { DefaultPodSecurity = defaultLevel }), authorizer);

    /// <summary>The self reviews over the store's RBAC objects.</summary>
    public static AccessReviews Reviews(StoreHarness store)
    {
        var rbac = new RbacAuthorizer(store.Store);
        return new AccessReviews(rbac, rbac);
    }

    /// <summary>Node deletion's revocation over the same store.</summary>
    public static NodeRevocation Revocation(StoreHarness store)
    {
        var identities = new NodeIdentities(store.Store, store.Time);
        return new NodeRevocation(identities, new StoredRevocations(identities, store.Time), new NodeCalls(), new AuditLog(enabled: false, TimeProvider.System), NullLogger<NodeRevocation>.Instance);
    }

    /// <summary>Runs <paramref name="call"/> and checks that it fails with <paramref name="code"/>, returning the failure.</summary>
    public static async Task<RpcException> FailsAsync(Func<Task> call, StatusCode code)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, ex.StatusCode);
        return ex;
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _lifetime.Dispose();
    }
}
