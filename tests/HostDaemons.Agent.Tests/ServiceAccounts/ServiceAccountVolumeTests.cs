using Grpc.Core;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.ServiceAccounts;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Agent.Volumes;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.ServiceAccounts;

/// <summary>The kube-api-access volume's files and bind, and its token written again once rotated.</summary>
public sealed class ServiceAccountVolumeTests : IDisposable
{
    private readonly TempDirectory _state = new("hd-sa-volume");
    private readonly FakeTimeProvider _time = new(AgentHarness.Epoch);
    private readonly FakeNodeClient _client = new();
    private readonly TestHostApplicationLifetime _lifetime = new();
    private readonly NodeContext _node;
    private readonly PodTokens _tokens;

    public ServiceAccountVolumeTests()
    {
        _node = new NodeContext("sa-" + Guid.NewGuid().ToString("N")[..8], "192.0.2.10", _state.Combine("pods"), null);
        _tokens = new PodTokens(_client, new ReconcileSignal(_time), _time, () => TimeSpan.Zero, _lifetime, NullLogger.Instance);
        _client.IssueTokens(_time);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _tokens.Dispose();
        _lifetime.Dispose();
        _state.Dispose();
        if (Directory.Exists(PodVolumePaths.MemoryRoot(_node)))
        {
            Directory.Delete(PodVolumePaths.MemoryRoot(_node), recursive: true);
        }
    }

    [Fact]
    public async Task SetUpAsync_TokenCaAndNamespaceReadOnly_ThenTheRotatedTokenIsWrittenAgain()
    {
        var ca = _state.Combine("ca.crt");
        await File.WriteAllTextAsync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", Ct);
        var volume = Volume(ca);
        var pod = ContainerSpecBuilder.Build(TestPods.Pod(uid: "uid-1"), _node).Containers[0];

        var bind = await volume.SetUpAsync(pod, ReferencedObjects.None, Ct);

        Assert.Equal((ServiceAccountMount.MountPath, true), (bind!.ContainerPath, bind.ReadOnly));
        Assert.Equal(["ca.crt", "namespace", "token"], Visible(bind.HostPath));
        Assert.Equal("token-1", await File.ReadAllTextAsync(Path.Combine(bind.HostPath, "token"), Ct));
        Assert.Equal(TestPods.Namespace, await File.ReadAllTextAsync(Path.Combine(bind.HostPath, "namespace"), Ct));
        Assert.Equal(await File.ReadAllTextAsync(ca, Ct), await File.ReadAllTextAsync(Path.Combine(bind.HostPath, "ca.crt"), Ct));
        Assert.Equal((UnixFileMode)420, File.GetUnixFileMode(Path.Combine(bind.HostPath, "token")));

        _time.Advance(TimeSpan.FromSeconds(2886));
        await _tokens.RefreshDueAsync(Ct);
        volume.Refresh(pod.Pod);

        Assert.Equal("token-2", await File.ReadAllTextAsync(Path.Combine(bind.HostPath, "token"), Ct));
    }

    [Fact]
    public async Task SetUpAsync_DevelopmentModeWithoutCa_TokenAndNamespaceOnly()
    {
        var pod = ContainerSpecBuilder.Build(TestPods.Pod(uid: "uid-1"), _node).Containers[0];

        var bind = await Volume(caFile: null).SetUpAsync(pod, ReferencedObjects.None, Ct);

        Assert.Equal(["namespace", "token"], Visible(bind!.HostPath));
    }

    [Fact]
    public async Task SetUpAsync_AccountSaysNo_NothingMountedAndNoTokenAsked()
    {
        var pod = ContainerSpecBuilder.Build(TestPods.Pod(uid: "uid-1"), _node).Containers[0];
        var objects = ReferencedObjects.From([], [], 1, new ServiceAccount { Metadata = new ObjectMeta { Name = "default" }, AutomountServiceAccountToken = false });

        Assert.Null(await Volume(caFile: null).SetUpAsync(pod, objects, Ct));
        Assert.Empty(_client.TokenRequests);
    }

    [Fact]
    public async Task SetUpAsync_ControlPlaneAway_StartsWithoutTokenAndTheTokenIsWrittenOnceItAnswers()
    {
        var pod = ContainerSpecBuilder.Build(TestPods.Pod(uid: "uid-1"), _node).Containers[0];
        _client.PodToken = _ => throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "connection refused"));
        var volume = Volume(caFile: null);

        var bind = await volume.SetUpAsync(pod, ReferencedObjects.None, Ct);

        Assert.Equal(["namespace"], Visible(bind!.HostPath));
        _client.IssueTokens(_time);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _tokens.RefreshDueAsync(Ct);
        volume.Refresh(pod.Pod);
        Assert.Equal("token-1", await File.ReadAllTextAsync(Path.Combine(bind.HostPath, "token"), Ct));
    }

    [Fact]
    public async Task SetUpAsync_AgentRestartedWhileControlPlaneAway_KeepsTheFilesItHad()
    {
        var pod = ContainerSpecBuilder.Build(TestPods.Pod(uid: "uid-1"), _node).Containers[0];
        var bind = await Volume(caFile: null).SetUpAsync(pod, ReferencedObjects.None, Ct);
        _client.PodToken = _ => throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "connection refused"));
        using var restarted = new PodTokens(_client, new ReconcileSignal(_time), _time, () => TimeSpan.Zero, _lifetime, NullLogger.Instance);

        var again = await new ServiceAccountVolume(_node, restarted, new ProjectedVolumes(_node, new AtomicWriter(_time), NullLogger<ProjectedVolumes>.Instance, restarted),
            null, NullLogger<ServiceAccountVolume>.Instance).SetUpAsync(pod, ReferencedObjects.None, Ct);

        Assert.Equal(bind!.HostPath, again!.HostPath);
        Assert.Equal("token-1", await File.ReadAllTextAsync(Path.Combine(again.HostPath, "token"), Ct));
    }

    [Fact]
    public async Task SetUpAsync_ControlPlaneRefusesTheToken_ContainerWaitsWithTheKubeletsMessage()
    {
        var pod = ContainerSpecBuilder.Build(TestPods.Pod(uid: "uid-1"), _node).Containers[0];
        _client.PodToken = _ => throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, "serviceaccount \"default\" not found"));

        var ex = await Assert.ThrowsAsync<ContainerRuntimeException>(() => Volume(caFile: null).SetUpAsync(pod, ReferencedObjects.None, Ct));

        Assert.Equal("ContainerCreating", ex.Reason);
        Assert.StartsWith("MountVolume.SetUp failed for volume \"kube-api-access\" : failed to fetch token: serviceaccount", ex.Message, StringComparison.Ordinal);
    }

    private ServiceAccountVolume Volume(string? caFile) =>
        new(_node, _tokens, new ProjectedVolumes(_node, new AtomicWriter(_time), NullLogger<ProjectedVolumes>.Instance, _tokens), caFile,
            NullLogger<ServiceAccountVolume>.Instance);

    private static string[] Visible(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory).Select(e => Path.GetFileName(e)).Where(n => !n.StartsWith("..", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
