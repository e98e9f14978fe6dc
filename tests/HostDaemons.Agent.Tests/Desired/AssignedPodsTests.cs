using HostDaemons.Agent.Desired;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Tests.Desired;

public sealed class AssignedPodsTests : IDisposable
{
    private readonly TempDirectory _stateDir = new("hd-agent-state");
    private readonly ReconcileSignal _signal = new(TimeProvider.System);
    private readonly FakeLogger<AssignedPods> _logger = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string StateFile => _stateDir.Combine("assignments.pb");

    public void Dispose() => _stateDir.Dispose();

    [Fact]
    public void Constructor_NoStateFile_UnknownAndEmpty()
    {
        var assigned = Create();

        Assert.False(assigned.IsKnown);
        Assert.Equal(0, assigned.Revision);
        Assert.Empty(assigned.Current);
        Assert.False(File.Exists(StateFile));
    }

    [Fact]
    public void ReplaceAll_Pods_BecomeCurrentAndKnown()
    {
        var assigned = Create();

        assigned.ReplaceAll([Pod("a"), Pod("b")], 7);

        Assert.True(assigned.IsKnown);
        Assert.Equal(7, assigned.Revision);
        Assert.Equal(["a", "b"], assigned.Current.Select(p => p.Metadata.Uid).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReplaceAll_Empty_IsKnownAndPersisted()
    {
        var assigned = Create();

        assigned.ReplaceAll([], 3);

        Assert.True(assigned.IsKnown);
        Assert.True(File.Exists(StateFile));
        var reloaded = Create();
        Assert.True(reloaded.IsKnown);
        Assert.Equal(3, reloaded.Revision);
        Assert.Empty(reloaded.Current);
    }

    [Fact]
    public void ReplaceAll_Again_DropsPodsNotInNewSet()
    {
        var assigned = Create();
        assigned.ReplaceAll([Pod("a"), Pod("b")], 7);

        assigned.ReplaceAll([Pod("c")], 4);

        Assert.Equal("c", Assert.Single(assigned.Current).Metadata.Uid);
        Assert.Equal(4, assigned.Revision);
    }

    [Fact]
    public void ReplaceAll_PersistsSnapshotToStateDir()
    {
        var assigned = Create();
        var pod = Pod("a");

        assigned.ReplaceAll([pod], 12);

        var snapshot = PodSnapshot.Parser.ParseFrom(File.ReadAllBytes(StateFile));
        Assert.Equal(12, snapshot.Revision);
        Assert.Equal(pod, Assert.Single(snapshot.Pods));
        Assert.False(File.Exists(StateFile + ".tmp"));
    }

    [Fact]
    public void Constructor_SavedAssignments_LoadedWithRevisionAndKnown()
    {
        var pod = Pod("a");
        pod.Spec.Containers[0].Env.Add(new EnvVar { Name = "K", Value = "v" });
        Create().ReplaceAll([pod, Pod("b")], 21);

        var reloaded = Create();

        Assert.True(reloaded.IsKnown);
        Assert.Equal(21, reloaded.Revision);
        Assert.Equal(pod, Assert.Single(reloaded.Current, p => p.Metadata.Uid == "a"));
        Assert.Equal(2, reloaded.Current.Count);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.Contains("Loaded 2 assigned pods"));
    }

    [Fact]
    public void Apply_UpsertsAndDeletes_ChangeSetAndPersist()
    {
        var assigned = Create();
        assigned.ReplaceAll([Pod("a"), Pod("b")], 5);
        var updated = Pod("a");
        updated.Metadata.ResourceVersion = "2";
        var changes = new PodChanges
        {
            Revision = 8,
            Changes =
            {
                new PodChange { Upserted = updated },
                new PodChange { Deleted = new PodKey { Namespace = TestPods.Namespace, Name = "pod-b", Uid = "b" } },
                new PodChange { Upserted = Pod("c") },
            },
        };

        assigned.Apply(changes);

        Assert.Equal(8, assigned.Revision);
        Assert.Equal(["a", "c"], assigned.Current.Select(p => p.Metadata.Uid).Order(StringComparer.Ordinal));
        Assert.Equal("2", Assert.Single(assigned.Current, p => p.Metadata.Uid == "a").Metadata.ResourceVersion);
        var reloaded = Create();
        Assert.Equal(8, reloaded.Revision);
        Assert.Equal(["a", "c"], reloaded.Current.Select(p => p.Metadata.Uid).Order(StringComparer.Ordinal));
        Assert.Equal("2", Assert.Single(reloaded.Current, p => p.Metadata.Uid == "a").Metadata.ResourceVersion);
    }

    [Fact]
    public void Apply_OlderRevision_KeepsHighestRevision()
    {
        var assigned = Create();
        assigned.ReplaceAll([], 9);

        assigned.Apply(new PodChanges { Revision = 4, Changes = { new PodChange { Upserted = Pod("a") } } });

        Assert.Equal(9, assigned.Revision);
        Assert.Single(assigned.Current);
    }

    [Fact]
    public void Apply_DeleteOfUnknownPod_IsHarmless()
    {
        var assigned = Create();
        assigned.ReplaceAll([Pod("a")], 1);

        assigned.Apply(new PodChanges { Revision = 2, Changes = { new PodChange { Deleted = new PodKey { Uid = "nope" } } } });

        Assert.Single(assigned.Current);
        Assert.Equal(2, assigned.Revision);
    }

    [Fact]
    public void Apply_NoChanges_AdvancesRevision()
    {
        var assigned = Create();
        assigned.ReplaceAll([Pod("a")], 1);

        assigned.Apply(new PodChanges { Revision = 30 });

        Assert.Equal(30, Create().Revision);
    }

    [Fact]
    public void Current_IsSnapshot_NotAffectedByLaterChanges()
    {
        var assigned = Create();
        assigned.ReplaceAll([Pod("a")], 1);
        var before = assigned.Current;

        assigned.ReplaceAll([Pod("b"), Pod("c")], 2);

        Assert.Equal("a", Assert.Single(before).Metadata.Uid);
    }

    [Fact]
    public void Constructor_CorruptStateFile_UnknownAndWarns()
    {
        File.WriteAllBytes(StateFile, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]);

        var assigned = Create();

        Assert.False(assigned.IsKnown);
        Assert.Empty(assigned.Current);
        Assert.Equal(LogLevel.Warning, _logger.LatestRecord.Level);
    }

    [Fact]
    public void ReplaceAll_StateDirMissing_CreatesIt()
    {
        var nested = _stateDir.Combine("deeper", "agent");
        var assigned = new AssignedPods(Options.Create(new AgentOptions { StateDir = nested }), _signal, _logger);

        assigned.ReplaceAll([Pod("a")], 1);

        Assert.True(File.Exists(Path.Combine(nested, "assignments.pb")));
    }

    [Fact]
    public async Task ReplaceAll_TriggersReconcile()
    {
        var assigned = Create();

        assigned.ReplaceAll([Pod("a")], 1);

        await _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct).DefaultTimeout();
    }

    [Fact]
    public async Task Apply_WithChanges_TriggersReconcile()
    {
        var assigned = Create();

        assigned.Apply(new PodChanges { Revision = 1, Changes = { new PodChange { Upserted = Pod("a") } } });

        await _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct).DefaultTimeout();
    }

    private AssignedPods Create() => new(Options.Create(new AgentOptions { StateDir = _stateDir.Path }), _signal, _logger);

    private static Pod Pod(string uid) => TestPods.Pod(name: "pod-" + uid, uid: uid);
}
