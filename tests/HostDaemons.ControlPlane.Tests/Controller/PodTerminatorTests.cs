using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class PodTerminatorTests : IAsyncLifetime
{
    private readonly StoreHarness _store = new();
    private readonly PodTerminator _terminator;

    public PodTerminatorTests()
    {
        _terminator = new PodTerminator(_store.Store, _store.Time);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private async Task<Pod> CreatePodAsync(string node, long? grace = null)
    {
        var pod = Pod("p", node);
        if (grace is { } seconds)
        {
            pod.Spec.TerminationGracePeriodSeconds = seconds;
        }

        return await _store.Store.CreateAsync(pod, Token).DefaultTimeout();
    }

    private Pod? Stored() => _store.Store.Get<Pod>("default", "p");

    [Fact]
    public async Task TerminateAsync_PodOnLiveNode_IsMarkedWithTheDefaultGrace()
    {
        await _store.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();
        var pod = await CreatePodAsync("n1");

        await _terminator.TerminateAsync(pod, null, Token).DefaultTimeout();

        var marked = Stored();
        Assert.NotNull(marked);
        Assert.Equal(Timestamp.FromDateTimeOffset(Epoch), marked.Metadata.DeletionTimestamp);
        Assert.Equal(30, marked.Metadata.DeletionGracePeriodSeconds);
    }

    [Fact]
    public async Task TerminateAsync_ForcedWithGraceZero_RemovedAtOnceFromANodeThatIsNotReadyMarkedOnAReadyOne()
    {
        var ready = Node("n1");
        NodeConditions.SetReady(ready, "True", "AgentReady", "", Timestamp.FromDateTimeOffset(Epoch));
        await _store.Store.CreateAsync(ready, Token).DefaultTimeout();
        var pod = await CreatePodAsync("n1");

        await _terminator.TerminateAsync(pod, 0, Token, force: true).DefaultTimeout();
        Assert.Equal(0, Stored()!.Metadata.DeletionGracePeriodSeconds);

        await _store.Store.MutateAsync<Node>("", "n1", n => NodeConditions.SetReady(n, "Unknown", "NodeStatusUnknown", "", Timestamp.FromDateTimeOffset(Epoch)), Token).DefaultTimeout();
        await _terminator.TerminateAsync(pod, 1, Token, force: true).DefaultTimeout();
        Assert.NotNull(Stored());
        await _terminator.TerminateAsync(pod, 0, Token, force: true).DefaultTimeout();
        Assert.Null(Stored());
    }

    [Fact]
    public async Task TerminateAsync_SpecGrace_IsUsedAndAnExplicitGraceWins()
    {
        await _store.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();
        var pod = await CreatePodAsync("n1", grace: 12);

        await _terminator.TerminateAsync(pod, null, Token).DefaultTimeout();
        Assert.Equal(12, Stored()!.Metadata.DeletionGracePeriodSeconds);

        _store.Time.Advance(TimeSpan.FromSeconds(5));
        await _terminator.TerminateAsync(pod, 0, Token).DefaultTimeout();
        var shortened = Stored()!;
        Assert.Equal(0, shortened.Metadata.DeletionGracePeriodSeconds);

        // The deletion keeps its first timestamp.
        Assert.Equal(Timestamp.FromDateTimeOffset(Epoch), shortened.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task TerminateAsync_AlreadyTerminating_NeverLengthensTheGrace()
    {
        await _store.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();
        var pod = await CreatePodAsync("n1", grace: 60);
        await _terminator.TerminateAsync(pod, 10, Token).DefaultTimeout();
        var revision = _store.Store.Revision;

        await _terminator.TerminateAsync(pod, null, Token).DefaultTimeout();
        await _terminator.TerminateAsync(pod, 10, Token).DefaultTimeout();

        Assert.Equal(10, Stored()!.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(revision, _store.Store.Revision);
    }

    [Fact]
    public async Task TerminateAsync_NodeGone_DeletesAtOnce()
    {
        var pod = await CreatePodAsync("gone");

        await _terminator.TerminateAsync(pod, null, Token).DefaultTimeout();

        Assert.Null(Stored());
    }

    [Fact]
    public async Task TerminateAsync_Unscheduled_DeletesAtOnce()
    {
        var pod = await CreatePodAsync("");

        await _terminator.TerminateAsync(pod, null, Token).DefaultTimeout();

        Assert.Null(Stored());
    }

    [Fact]
    public async Task TerminateAsync_PodReplacedUnderTheSameName_LeavesTheNewOneAlone()
    {
        await _store.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();
        var old = await CreatePodAsync("n1");
        await _store.Store.DeleteAsync<Pod>("default", "p", null, Token).DefaultTimeout();
        await CreatePodAsync("n1");

        await _terminator.TerminateAsync(old, null, Token).DefaultTimeout();

        Assert.Null(Stored()!.Metadata.DeletionTimestamp);

        // Same when the node is gone: the uid precondition protects the new pod.
        await _store.Store.DeleteAsync<Node>("", "n1", null, Token).DefaultTimeout();
        await _terminator.TerminateAsync(old, null, Token).DefaultTimeout();
        Assert.NotNull(Stored());
    }
}
