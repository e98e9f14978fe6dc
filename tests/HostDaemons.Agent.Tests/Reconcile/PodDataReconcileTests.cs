using Google.Protobuf;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>
/// ConfigMaps, Secrets and termination messages through the whole agent loop: files written before the container
/// is created, env resolved then, a missing object waiting in ContainerCreating, changes reaching mounted files
/// without a restart, and messages read back into the status.
/// </summary>
public sealed class PodDataReconcileTests : IDisposable
{
    private readonly string _uid = Guid.NewGuid().ToString();
    private readonly TempDirectory _stateDir = new("hd-agent-data");
    private readonly AgentHarness _agent;

    public PodDataReconcileTests()
    {
        _agent = AgentHarness.Create(_stateDir);
        _agent.Runtime.AddLocalImage(TestPods.Image);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeContainerRuntime Runtime => _agent.Runtime;

    private string VolumeDirectory => Path.Combine(_agent.Node.PodVolumeRoot, _uid, "volumes", "config");

    public void Dispose()
    {
        _agent.Dispose();
        var memory = Path.Combine(PodVolumePaths.MemoryRoot(_agent.Node), _uid);
        if (Directory.Exists(memory))
        {
            Directory.Delete(memory, recursive: true);
        }

        _stateDir.Dispose();
    }

    [Fact]
    public async Task Pass_PodWithConfigMapVolumeAndEnv_FilesWrittenThenContainerCreatedWithValues()
    {
        _agent.Objects.Set(ConfigMap("app", ("app.conf", "level=info"), ("MODE", "fast")));
        _agent.Assigned.ReplaceAll([PodUsingConfigMap()], 1);

        await _agent.PassAsync();

        var container = Assert.Single(Runtime.Containers);
        Assert.Equal(ContainerRunState.Running, container.State);
        var spec = Runtime.SpecOf(container.Id);
        Assert.Contains("MODE=fast", spec.Environment);
        Assert.Equal(["run --mode=fast"], spec.Arguments);
        Assert.Contains(new BindMount(VolumeDirectory, "/etc/app", ReadOnly: true), spec.Binds);
        Assert.Equal("level=info", File.ReadAllText(Path.Combine(VolumeDirectory, "app.conf")));
        Assert.Equal("..data/app.conf", new FileInfo(Path.Combine(VolumeDirectory, "app.conf")).LinkTarget);
    }

    [Fact]
    public async Task Pass_MissingConfigMap_ContainerCreatingWithFailedMountUntilItExists()
    {
        _agent.Assigned.ReplaceAll([PodUsingConfigMap()], 1);

        await _agent.PassAsync();
        await _agent.ReconcileAsync();

        Assert.Empty(Runtime.Containers);
        var waiting = (await _agent.TakeReportAsync(_uid)).Status.ContainerStatuses[0].State.Waiting;
        Assert.Equal("ContainerCreating", waiting.Reason);
        Assert.Equal("MountVolume.SetUp failed for volume \"config\" : configmap \"app\" not found", waiting.Message);
        var failedMount = Assert.Single(await _agent.TakeEventsAsync(), e => e.Reason == "FailedMount");
        Assert.Equal("Warning", failedMount.Type);
        Assert.Equal("MountVolume.SetUp failed for volume \"config\" : configmap \"app\" not found", failedMount.Message);

        // The object appears: the next pass retries at once, without waiting out the failure back-off.
        _agent.Objects.Set(ConfigMap("app", ("app.conf", "level=info"), ("MODE", "fast")));
        await _agent.PassAsync();

        Assert.Equal(ContainerRunState.Running, Assert.Single(Runtime.Containers).State);
    }

    [Fact]
    public async Task Pass_InitContainerWaitingForAMissingConfigMap_StartsOnTheNextPassOnceItExists()
    {
        var init = TestPods.Container("setup");
        init.EnvFrom.Add(new EnvFromSource { ConfigMapRef = new ConfigMapEnvSource { Name = "setup" } });
        var pod = TestPods.Pod(uid: _uid);
        pod.Spec.InitContainers.Add(init);
        _agent.Assigned.ReplaceAll([pod], 1);

        await _agent.PassAsync();
        await _agent.ReconcileAsync();

        Assert.DoesNotContain(Runtime.Containers, c => c.Get(ContainerLabels.Container) == "setup");
        var waiting = Assert.Single((await _agent.TakeReportAsync(_uid)).Status.InitContainerStatuses).State.Waiting;
        Assert.Equal("CreateContainerConfigError", waiting.Reason);

        // The object appears: the next pass retries at once, without waiting out the failure back-off.
        _agent.Objects.Set(ConfigMap("setup", ("MODE", "fast")));
        await _agent.PassAsync();

        var setup = Assert.Single(Runtime.Containers, c => c.Get(ContainerLabels.Container) == "setup");
        Assert.Contains("MODE=fast", Runtime.SpecOf(setup.Id).Environment);
    }

    [Fact]
    public async Task Pass_MissingKeyForEnv_CreateContainerConfigErrorWithTheKubeletsMessage()
    {
        _agent.Objects.Set(ConfigMap("app", ("app.conf", "level=info")));
        _agent.Assigned.ReplaceAll([PodUsingConfigMap()], 1);

        await _agent.PassAsync();
        await _agent.ReconcileAsync();

        Assert.Empty(Runtime.Containers);
        var waiting = (await _agent.TakeReportAsync(_uid)).Status.ContainerStatuses[0].State.Waiting;
        Assert.Equal("CreateContainerConfigError", waiting.Reason);
        Assert.Equal($"couldn't find key MODE in ConfigMap {TestPods.Namespace}/app", waiting.Message);
    }

    [Fact]
    public async Task Pass_ConfigMapChanged_MountedFileFollowsAndTheContainerKeepsRunning()
    {
        _agent.Objects.Set(ConfigMap("app", ("app.conf", "level=info"), ("MODE", "fast")));
        _agent.Assigned.ReplaceAll([PodUsingConfigMap()], 1);
        await _agent.PassAsync();
        var created = Assert.Single(Runtime.Containers);
        Runtime.ClearCalls();

        _agent.Objects.Set(ConfigMap("app", ("app.conf", "level=debug"), ("MODE", "slow")));
        await _agent.PassAsync();

        Assert.Equal("level=debug", File.ReadAllText(Path.Combine(VolumeDirectory, "app.conf")));
        Assert.Empty(Runtime.Changes);
        Assert.Contains("MODE=fast", Runtime.SpecOf(created.Id).Environment);
    }

    [Fact]
    public async Task Pass_LabelsChanged_DownwardApiFileFollows()
    {
        var container = TestPods.Container();
        container.VolumeMounts.Add(new VolumeMount { Name = "podinfo", MountPath = "/etc/podinfo" });
        var pod = TestPods.Pod(uid: _uid, containers: container);
        pod.Metadata.Labels["tier"] = "one";
        pod.Spec.Volumes.Add(new Volume
        {
            Name = "podinfo",
            DownwardApi = new DownwardAPIVolumeSource { Items = { new DownwardAPIVolumeFile { Path = "labels", FieldRef = new ObjectFieldSelector { FieldPath = "metadata.labels" } } } },
        });
        _agent.Assigned.ReplaceAll([pod], 1);
        await _agent.PassAsync();
        var labels = Path.Combine(_agent.Node.PodVolumeRoot, _uid, "volumes", "podinfo", "labels");
        Assert.Equal("tier=\"one\"", File.ReadAllText(labels));

        var relabelled = pod.Clone();
        relabelled.Metadata.Labels["tier"] = "two";
        relabelled.Metadata.ResourceVersion = "2";
        _agent.Assigned.ReplaceAll([relabelled], 2);
        await _agent.PassAsync();

        Assert.Equal("tier=\"two\"", File.ReadAllText(labels));
        Assert.Single(Runtime.Containers);
    }

    [Fact]
    public async Task Pass_SecretVolume_LivesOnTheTmpfs()
    {
        _agent.Objects.Set(new Secret { Metadata = new ObjectMeta { Name = "token" }, Data = { ["token"] = ByteString.CopyFromUtf8("s3cr3t") } });
        var container = TestPods.Container();
        container.VolumeMounts.Add(new VolumeMount { Name = "token", MountPath = "/var/run/secrets/app" });
        var pod = TestPods.Pod(uid: _uid, containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "token", Secret = new SecretVolumeSource { SecretName = "token", DefaultMode = 256 } });
        _agent.Assigned.ReplaceAll([pod], 1);

        await _agent.PassAsync();

        var directory = Path.Combine(PodVolumePaths.MemoryRoot(_agent.Node), _uid, "token");
        Assert.Equal("s3cr3t", File.ReadAllText(Path.Combine(directory, "token")));
        Assert.StartsWith("/dev/shm/", directory, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(_stateDir.Path, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pass_ExitedContainer_TerminationMessageFromItsFile()
    {
        _agent.Assigned.ReplaceAll([TestPods.Pod(uid: _uid)], 1);
        await _agent.PassAsync();
        var created = Assert.Single(Runtime.Containers);
        var bind = Assert.Single(Runtime.SpecOf(created.Id).Binds, b => b.ContainerPath == "/dev/termination-log");
        Assert.False(bind.ReadOnly);
        await File.WriteAllTextAsync(bind.HostPath, "disk full\n", Ct);

        Runtime.SimulateExit(created.Id, 3);
        await _agent.ReconcileAsync();

        var status = (await _agent.TakeReportAsync(_uid)).Status.ContainerStatuses[0];
        Assert.Equal("disk full\n", (status.State.Terminated ?? status.LastState.Terminated).Message);
    }

    [Fact]
    public async Task Pass_FallbackToLogsOnError_EmptyFileAndFailure_TheLogTail()
    {
        var container = TestPods.Container();
        container.TerminationMessagePolicy = "FallbackToLogsOnError";
        _agent.Assigned.ReplaceAll([TestPods.Pod(uid: _uid, containers: container)], 1);
        await _agent.PassAsync();
        var created = Assert.Single(Runtime.Containers);
        Runtime.SetLogs(created.Id, "starting\npanic: no config\n");
        Runtime.SimulateExit(created.Id, 2);

        await _agent.ReconcileAsync();
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            await _agent.ReconcileAsync();
            var reports = await _agent.TakeReportsAsync();
            return reports.Select(r => r.Status.ContainerStatuses[0]).Any(c => (c.State.Terminated ?? c.LastState?.Terminated)?.Message == "starting\npanic: no config\n");
        }, "the log tail as termination message");
    }

    [Fact]
    public async Task Pass_TerminationMessagePathUnderAVolume_NoFileBound()
    {
        var container = TestPods.Container();
        container.TerminationMessagePath = "/data/last-words";
        container.VolumeMounts.Add(new VolumeMount { Name = "data", MountPath = "/data" });
        var pod = TestPods.Pod(uid: _uid, containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "data", EmptyDir = new EmptyDirVolumeSource() });
        _agent.Assigned.ReplaceAll([pod], 1);

        await _agent.PassAsync();

        var spec = Runtime.SpecOf(Assert.Single(Runtime.Containers).Id);
        Assert.DoesNotContain(spec.Binds, b => b.ContainerPath == "/data/last-words");
        Assert.False(spec.Labels.ContainsKey(ContainerLabels.TerminationLog));
    }

    private Pod PodUsingConfigMap()
    {
        var container = TestPods.Container();
        container.VolumeMounts.Add(new VolumeMount { Name = "config", MountPath = "/etc/app" });
        container.Env.Add(new EnvVar { Name = "MODE", ValueFrom = new EnvVarSource { ConfigMapKeyRef = new ConfigMapKeySelector { Name = "app", Key = "MODE" } } });
        container.Args.Add("run --mode=$(MODE)");
        var pod = TestPods.Pod(uid: _uid, containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "app" } });
        return pod;
    }

    private static ConfigMap ConfigMap(string name, params (string Key, string Value)[] data)
    {
        var configMap = new ConfigMap { Metadata = new ObjectMeta { Name = name, Namespace = TestPods.Namespace } };
        foreach (var (key, value) in data)
        {
            configMap.Data[key] = value;
        }

        return configMap;
    }
}
