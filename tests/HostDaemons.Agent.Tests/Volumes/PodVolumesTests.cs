using System.Net.Sockets;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Agent.Volumes;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostDaemons.Agent.Tests.Volumes;

/// <summary>Volumes made ready on a real file system (a temporary directory, and /dev/shm for memory emptyDirs).</summary>
public sealed class PodVolumesTests : IDisposable
{
    private const string Uid = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    private readonly TempDirectory _temp = new("hd-volumes");
    private readonly NodeContext _node;
    private readonly PodVolumes _volumes;

    public PodVolumesTests()
    {
        // A node name of its own, so the /dev/shm directory of this test is never another's.
        _node = new NodeContext($"node-{Guid.NewGuid():N}", "192.0.2.10", _temp.Combine("pods"), null);
        _volumes = new PodVolumes(_node, NullLogger<PodVolumes>.Instance);
    }

    public void Dispose()
    {
        var memoryRoot = PodVolumePaths.MemoryRoot(_node);
        if (Directory.Exists(memoryRoot))
        {
            Directory.Delete(memoryRoot, recursive: true);
        }

        _temp.Dispose();
    }

    // hostPath type checks

    [Theory]
    [InlineData("Directory")]
    [InlineData("DirectoryOrCreate")]
    public void Prepare_DirectoryTypeOnADirectory_Passes(string type)
    {
        var path = Directory.CreateDirectory(_temp.Combine("data")).FullName;

        _volumes.Prepare(HostPathContainer(path, type));

        Assert.True(Directory.Exists(path));
    }

    [Fact]
    public void Prepare_DirectoryMissing_FailsWithTheKubeletsMessage()
    {
        var path = _temp.Combine("missing");

        var error = Assert.Throws<ContainerRuntimeException>(() => _volumes.Prepare(HostPathContainer(path, "Directory")));

        Assert.Equal("CreateContainerConfigError", error.Reason);
        Assert.Equal($"MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: {path} is not a directory", error.Message);
        Assert.False(Directory.Exists(path));
    }

    [Theory]
    [InlineData("Directory")]
    [InlineData("DirectoryOrCreate")]
    public void Prepare_DirectoryTypeOnAFile_IsNotADirectory(string type)
    {
        var path = _temp.Combine("file");
        File.WriteAllText(path, "x");

        var error = Assert.Throws<ContainerRuntimeException>(() => _volumes.Prepare(HostPathContainer(path, type)));

        Assert.Equal($"MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: {path} is not a directory", error.Message);
        Assert.Equal("x", File.ReadAllText(path));
    }

    [Fact]
    public void Prepare_DirectoryOrCreateMissing_CreatesItWithItsParents()
    {
        var path = _temp.Combine("a", "b", "c");

        _volumes.Prepare(HostPathContainer(path, "DirectoryOrCreate"));

        Assert.True(Directory.Exists(path));
        Assert.Equal(FileKind.Directory, FileKinds.Of(path));
    }

    [Theory]
    [InlineData("File")]
    [InlineData("FileOrCreate")]
    public void Prepare_FileTypeOnAFile_PassesAndKeepsTheContent(string type)
    {
        var path = _temp.Combine("config.yaml");
        File.WriteAllText(path, "kept");

        _volumes.Prepare(HostPathContainer(path, type));

        Assert.Equal("kept", File.ReadAllText(path));
    }

    [Fact]
    public void Prepare_FileMissing_IsNotAFile()
    {
        var path = _temp.Combine("missing.conf");

        var error = Assert.Throws<ContainerRuntimeException>(() => _volumes.Prepare(HostPathContainer(path, "File")));

        Assert.Equal("CreateContainerConfigError", error.Reason);
        Assert.Equal($"MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: {path} is not a file", error.Message);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("File")]
    [InlineData("FileOrCreate")]
    public void Prepare_FileTypeOnADirectory_IsNotAFile(string type)
    {
        var path = Directory.CreateDirectory(_temp.Combine("dir")).FullName;

        var error = Assert.Throws<ContainerRuntimeException>(() => _volumes.Prepare(HostPathContainer(path, type)));

        Assert.Equal($"MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: {path} is not a file", error.Message);
    }

    [Fact]
    public void Prepare_FileOrCreateMissing_CreatesAnEmptyFileAndItsParents()
    {
        var path = _temp.Combine("etc", "app", "state.db");

        _volumes.Prepare(HostPathContainer(path, "FileOrCreate"));

        Assert.Equal(FileKind.File, FileKinds.Of(path));
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void Prepare_SocketTypeOnAListeningUnixSocket_Passes()
    {
        var path = _temp.Combine("agent.sock");
        using var socket = ListenOn(path);

        _volumes.Prepare(HostPathContainer(path, "Socket"));

        Assert.Equal(FileKind.Socket, FileKinds.Of(path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Prepare_SocketTypeOnSomethingElse_IsNotASocketFile(bool directory)
    {
        var path = _temp.Combine("not.sock");
        if (directory)
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            File.WriteAllText(path, "");
        }

        var error = Assert.Throws<ContainerRuntimeException>(() => _volumes.Prepare(HostPathContainer(path, "Socket")));

        Assert.Equal($"MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: {path} is not a socket file", error.Message);
    }

    [Fact]
    public void Prepare_SocketMissing_IsNotASocketFileAndNothingIsCreated()
    {
        var path = _temp.Combine("missing.sock");

        var error = Assert.Throws<ContainerRuntimeException>(() => _volumes.Prepare(HostPathContainer(path, "Socket")));

        Assert.EndsWith($"{path} is not a socket file", error.Message, StringComparison.Ordinal);
        Assert.Equal(FileKind.Missing, FileKinds.Of(path));
    }

    [Fact]
    public void Prepare_CharDeviceOnDevNull_Passes()
    {
        _volumes.Prepare(HostPathContainer("/dev/null", "CharDevice"));
    }

    [Fact]
    public void Prepare_CharDeviceOnAFile_IsNotACharacterDevice()
    {
        var path = _temp.Combine("tty");
        File.WriteAllText(path, "");

        var error = Assert.Throws<ContainerRuntimeException>(() => _volumes.Prepare(HostPathContainer(path, "CharDevice")));

        Assert.Equal($"MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: {path} is not a character device", error.Message);
    }

    [Fact]
    public void Prepare_BlockDeviceOnDevNull_IsNotABlockDevice()
    {
        var error = Assert.Throws<ContainerRuntimeException>(() => _volumes.Prepare(HostPathContainer("/dev/null", "BlockDevice")));

        Assert.Equal("CreateContainerConfigError", error.Reason);
        Assert.Equal("MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: /dev/null is not a block device", error.Message);
    }

    [Fact]
    public void Prepare_BlockDeviceOnABlockDevice_Passes()
    {
        const string loop = "/dev/loop0";
        Assert.SkipUnless(FileKinds.Of(loop) == FileKind.BlockDevice, $"{loop} is not a block device on this machine");

        _volumes.Prepare(HostPathContainer(loop, "BlockDevice"));
    }

    [Fact]
    public void Prepare_TypeUnset_ChecksAndCreatesNothing()
    {
        var path = _temp.Combine("maybe", "later");

        _volumes.Prepare(HostPathContainer(path, ""));

        Assert.Equal(FileKind.Missing, FileKinds.Of(path));
        Assert.False(Directory.Exists(_temp.Combine("maybe")));
    }

    [Fact]
    public void Prepare_DirectoryThroughASymlink_FollowsTheLink()
    {
        var target = Directory.CreateDirectory(_temp.Combine("real")).FullName;
        var link = _temp.Combine("link");
        File.CreateSymbolicLink(link, target);

        _volumes.Prepare(HostPathContainer(link, "Directory"));
    }

    [Fact]
    public void Prepare_FileOrCreateOnADanglingSymlink_CreatesTheTarget()
    {
        var link = _temp.Combine("dangling");
        File.CreateSymbolicLink(link, _temp.Combine("nowhere"));

        // stat(2) sees nothing there, so FileOrCreate creates through the link, as the kubelet's open(O_CREAT) does.
        _volumes.Prepare(HostPathContainer(link, "FileOrCreate"));

        Assert.Equal(FileKind.File, FileKinds.Of(_temp.Combine("nowhere")));
    }

    [Fact]
    public void Prepare_FailedCheck_IsForTheMountedVolumeOnly()
    {
        var container = TestPods.Container();
        container.VolumeMounts.Add(new VolumeMount { Name = "ok", MountPath = "/ok" });
        var pod = TestPods.Pod(containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "ok", HostPath = new HostPathVolumeSource { Path = _temp.Path, Type = "Directory" } });
        pod.Spec.Volumes.Add(new Volume { Name = "broken", HostPath = new HostPathVolumeSource { Path = _temp.Combine("missing"), Type = "Directory" } });

        _volumes.Prepare(Desired(pod));
    }

    // emptyDir and subPath

    [Fact]
    public void Prepare_EmptyDir_CreatedUnderThePodsVolumeDirectory()
    {
        var pod = EmptyDirPod(new EmptyDirVolumeSource(), new VolumeMount { Name = "data", MountPath = "/data" });

        _volumes.Prepare(Desired(pod));

        Assert.True(Directory.Exists(Path.Combine(_node.PodVolumeRoot, pod.Metadata.Uid, "volumes", "data")));
    }

    [Fact]
    public void Prepare_MemoryEmptyDir_CreatedUnderDevShmForTheNode()
    {
        var pod = EmptyDirPod(new EmptyDirVolumeSource { Medium = "Memory" }, new VolumeMount { Name = "data", MountPath = "/data" });

        _volumes.Prepare(Desired(pod));

        Assert.True(Directory.Exists($"/dev/shm/hostdaemons/{_node.NodeName}/{pod.Metadata.Uid}/data"));
        Assert.False(Directory.Exists(Path.Combine(_node.PodVolumeRoot, pod.Metadata.Uid)));
    }

    [Fact]
    public void Prepare_EmptyDirTwice_KeepsItsContent()
    {
        var pod = EmptyDirPod(new EmptyDirVolumeSource(), new VolumeMount { Name = "data", MountPath = "/data" });
        _volumes.Prepare(Desired(pod));
        var file = Path.Combine(_node.PodVolumeRoot, pod.Metadata.Uid, "volumes", "data", "written-by-container");
        File.WriteAllText(file, "state");

        _volumes.Prepare(Desired(pod));

        Assert.Equal("state", File.ReadAllText(file));
    }

    [Fact]
    public void Prepare_SubPathsOfAnEmptyDir_AreCreatedInsideIt()
    {
        var pod = EmptyDirPod(
            new EmptyDirVolumeSource(),
            new VolumeMount { Name = "data", MountPath = "/etc/app", SubPath = "config" },
            new VolumeMount { Name = "data", MountPath = "/var/log/app", SubPath = "logs/current" });

        _volumes.Prepare(Desired(pod));

        var volume = Path.Combine(_node.PodVolumeRoot, pod.Metadata.Uid, "volumes", "data");
        Assert.True(Directory.Exists(Path.Combine(volume, "config")));
        Assert.True(Directory.Exists(Path.Combine(volume, "logs", "current")));
    }

    [Fact]
    public void Prepare_SubPathOfAHostPath_IsCreatedInsideIt()
    {
        var root = Directory.CreateDirectory(_temp.Combine("host")).FullName;
        var container = TestPods.Container();
        container.VolumeMounts.Add(new VolumeMount { Name = "host", MountPath = "/conf", SubPath = "conf.d" });
        var pod = TestPods.Pod(containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "host", HostPath = new HostPathVolumeSource { Path = root, Type = "Directory" } });

        _volumes.Prepare(Desired(pod));

        Assert.True(Directory.Exists(Path.Combine(root, "conf.d")));
    }

    [Fact]
    public void Prepare_SubPathThatIsAFile_IsLeftAsAFile()
    {
        var root = Directory.CreateDirectory(_temp.Combine("host")).FullName;
        File.WriteAllText(Path.Combine(root, "app.conf"), "setting=1");
        var container = TestPods.Container();
        container.VolumeMounts.Add(new VolumeMount { Name = "host", MountPath = "/etc/app.conf", SubPath = "app.conf", ReadOnly = true });
        var pod = TestPods.Pod(containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "host", HostPath = new HostPathVolumeSource { Path = root } });

        _volumes.Prepare(Desired(pod));

        Assert.Equal("setting=1", File.ReadAllText(Path.Combine(root, "app.conf")));
    }

    [Fact]
    public void Prepare_OnlyTheContainersMounts_AreCreated()
    {
        var a = TestPods.Container("a");
        a.VolumeMounts.Add(new VolumeMount { Name = "mine", MountPath = "/mine" });
        a.VolumeMounts.Add(new VolumeMount { Name = "undeclared", MountPath = "/nowhere" });
        var b = TestPods.Container("b");
        b.VolumeMounts.Add(new VolumeMount { Name = "theirs", MountPath = "/theirs" });
        var pod = TestPods.Pod(containers: [a, b]);
        pod.Spec.Volumes.Add(new Volume { Name = "mine", EmptyDir = new EmptyDirVolumeSource() });
        pod.Spec.Volumes.Add(new Volume { Name = "theirs", EmptyDir = new EmptyDirVolumeSource() });

        _volumes.Prepare(ContainerSpecBuilder.Build(pod, _node).Containers[0]);

        var volumes = Path.Combine(_node.PodVolumeRoot, pod.Metadata.Uid, "volumes");
        Assert.Equal(["mine"], Directory.GetDirectories(volumes).Select(Path.GetFileName));
    }

    // Remove

    [Fact]
    public void Remove_Uid_DeletesThatPodsDirectoriesOnly()
    {
        var gone = EmptyDirPod("uid-gone", new EmptyDirVolumeSource(), new VolumeMount { Name = "data", MountPath = "/data" });
        gone.Spec.Volumes.Add(new Volume { Name = "shm", EmptyDir = new EmptyDirVolumeSource { Medium = "Memory" } });
        gone.Spec.Containers[0].VolumeMounts.Add(new VolumeMount { Name = "shm", MountPath = "/shm" });
        var kept = EmptyDirPod("uid-kept", new EmptyDirVolumeSource { Medium = "Memory" }, new VolumeMount { Name = "data", MountPath = "/data" });
        var keptDisk = EmptyDirPod("uid-kept", new EmptyDirVolumeSource(), new VolumeMount { Name = "data", MountPath = "/data" });
        var hostDir = Directory.CreateDirectory(_temp.Combine("host")).FullName;
        File.WriteAllText(Path.Combine(hostDir, "file"), "host data");
        _volumes.Prepare(Desired(gone));
        _volumes.Prepare(Desired(kept));
        _volumes.Prepare(Desired(keptDisk));

        _volumes.Remove("uid-gone");

        var memoryRoot = PodVolumePaths.MemoryRoot(_node);
        Assert.False(Directory.Exists(Path.Combine(_node.PodVolumeRoot, "uid-gone")));
        Assert.False(Directory.Exists(Path.Combine(memoryRoot, "uid-gone")));
        Assert.True(Directory.Exists(Path.Combine(_node.PodVolumeRoot, "uid-kept", "volumes", "data")));
        Assert.True(Directory.Exists(Path.Combine(memoryRoot, "uid-kept", "data")));
        Assert.Equal("host data", File.ReadAllText(Path.Combine(hostDir, "file")));
    }

    [Fact]
    public void Remove_UnknownUid_DoesNothing()
    {
        var pod = EmptyDirPod("uid-1", new EmptyDirVolumeSource(), new VolumeMount { Name = "data", MountPath = "/data" });
        _volumes.Prepare(Desired(pod));

        _volumes.Remove("uid-2");

        Assert.True(Directory.Exists(Path.Combine(_node.PodVolumeRoot, "uid-1", "volumes", "data")));
    }

    [Fact]
    public void Remove_PodWithContent_DeletesEverythingInside()
    {
        var pod = EmptyDirPod("uid-1", new EmptyDirVolumeSource(), new VolumeMount { Name = "data", MountPath = "/data", SubPath = "deep/er" });
        _volumes.Prepare(Desired(pod));
        File.WriteAllText(Path.Combine(_node.PodVolumeRoot, "uid-1", "volumes", "data", "deep", "er", "f"), "x");

        _volumes.Remove("uid-1");

        Assert.False(Directory.Exists(Path.Combine(_node.PodVolumeRoot, "uid-1")));
        Assert.True(Directory.Exists(_node.PodVolumeRoot));
    }

    private DesiredContainer Desired(Pod pod) => ContainerSpecBuilder.Build(pod, _node).Containers[0];

    private DesiredContainer HostPathContainer(string path, string type)
    {
        var container = TestPods.Container();
        container.VolumeMounts.Add(new VolumeMount { Name = "host", MountPath = "/host" });
        var pod = TestPods.Pod(containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "host", HostPath = new HostPathVolumeSource { Path = path, Type = type } });
        return Desired(pod);
    }

    private static Pod EmptyDirPod(EmptyDirVolumeSource source, params VolumeMount[] mounts) => EmptyDirPod(Uid, source, mounts);

    private static Pod EmptyDirPod(string uid, EmptyDirVolumeSource source, params VolumeMount[] mounts)
    {
        var container = TestPods.Container();
        container.VolumeMounts.AddRange(mounts);
        var pod = TestPods.Pod(uid: uid, containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "data", EmptyDir = source });
        return pod;
    }

    private static Socket ListenOn(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen();
        return socket;
    }
}
