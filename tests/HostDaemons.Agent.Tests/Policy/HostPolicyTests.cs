using HostDaemons.Agent.Policy;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Policy;

/// <summary>
/// The agent's host policy, rule by rule: privileged containers, hostPath prefixes matched per component after
/// resolving links, read-only prefixes, subPaths leaving their volume, and static pods exempt. The "host" is a
/// temporary directory: <c>logs</c> is allowed read-only, <c>data</c> writable.
/// </summary>
public sealed class HostPolicyTests : IDisposable
{
    private readonly TempDirectory _host = new("hd-policy");
    private readonly NodeContext _node;

    public HostPolicyTests()
    {
        Directory.CreateDirectory(Host("logs", "app"));
        Directory.CreateDirectory(Host("logs2"));
        Directory.CreateDirectory(Host("data"));
        Directory.CreateDirectory(Host("secret"));
        _node = new NodeContext(TestPods.Node, "192.0.2.10", Host("state", "pods"), null);
    }

    public void Dispose() => _host.Dispose();

    private string Host(params string[] parts) => Path.Combine([HostPathResolver.Resolve(_host.Path), .. parts]);

    private HostPolicy Policy(bool allowPrivileged = true, string? paths = "") =>
        new(allowPrivileged, paths is null ? null : Parse(paths.Replace("$HOST", Host(), StringComparison.Ordinal)), _node);

    private static IReadOnlyList<AllowedHostPath> Parse(string paths)
    {
        Assert.True(AllowedHostPath.TryParseList(paths, out var entries, out var error), error);
        return entries!;
    }

    private HostPolicy Limited => Policy(paths: "$HOST/logs:ro,$HOST/data");

    /// <summary>A pod whose container mounts one hostPath volume, named <c>host</c>.</summary>
    private static Pod HostPathPod(string path, bool readOnly = false, string subPath = "")
    {
        var pod = TestPods.Pod();
        pod.Spec.Volumes.Add(new Volume { Name = "host", HostPath = new HostPathVolumeSource { Path = path } });
        pod.Spec.Containers[0].VolumeMounts.Add(new VolumeMount { Name = "host", MountPath = "/host", ReadOnly = readOnly, SubPath = subPath });
        return pod;
    }

    private DesiredContainer Container(Pod pod, bool isStatic = false, int index = 0) => ContainerSpecBuilder.Build(pod, _node, isStatic).Containers[index];

    private static string Refused(HostPolicy policy, DesiredContainer container)
    {
        var ex = Assert.Throws<ContainerRuntimeException>(() => policy.Admit(container, container.Launch));
        Assert.Equal(HostPolicy.ViolationReason, ex.Reason);
        return ex.Message;
    }

    private static ContainerLaunchSpec Admitted(HostPolicy policy, DesiredContainer container) => policy.Admit(container, container.Launch);

    [Fact]
    public void Admit_PrivilegedWhenNotAllowed_RefusedNamingTheField()
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].SecurityContext = new SecurityContext { Privileged = true };

        Assert.Equal(
            "container main sets securityContext.privileged: true, and this host does not allow privileged containers (allow-privileged: false)",
            Refused(Policy(allowPrivileged: false, paths: null), Container(pod)));
        var container = Container(pod);
        Assert.Same(container.Launch, Admitted(Policy(allowPrivileged: true, paths: null), container));
    }

    [Fact]
    public void Admit_PrivilegedInitContainerWhenNotAllowed_Refused()
    {
        var pod = TestPods.Pod();
        pod.Spec.InitContainers.Add(new Container { Name = "setup", Image = TestPods.Image, SecurityContext = new SecurityContext { Privileged = true } });
        var init = ContainerSpecBuilder.Build(pod, _node).InitContainers[0];

        Assert.StartsWith("container setup sets securityContext.privileged", Refused(Policy(allowPrivileged: false, paths: null), init), StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_AnyPathAllowed_LeavesTheSpecAsItIs()
    {
        var container = Container(HostPathPod("/"));

        Assert.Same(container.Launch, Admitted(Policy(paths: null), container));
    }

    [Fact]
    public void Admit_HostRoot_RefusedNamingVolumePathAndRule()
    {
        Assert.Equal(
            $"hostPath volume \"host\" mounts /, which is not under a path this host allows (allowed-host-paths: {Host("logs")} read-only, {Host("data")})",
            Refused(Limited, Container(HostPathPod("/", readOnly: true))));
    }

    [Fact]
    public void Admit_DotDotOutOfAnAllowedPrefix_RefusedWithTheResolvedPath()
    {
        var path = Host("logs") + "/../secret";

        Assert.StartsWith($"hostPath volume \"host\" mounts {path} (resolved: {Host("secret")}), which is not under a path this host allows",
            Refused(Limited, Container(HostPathPod(path, readOnly: true))), StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_LinkInAnAllowedPrefixToOutside_Refused()
    {
        File.CreateSymbolicLink(Host("logs", "x"), "/etc");

        Assert.StartsWith($"hostPath volume \"host\" mounts {Host("logs", "x")} (resolved: /etc), which is not under",
            Refused(Limited, Container(HostPathPod(Host("logs", "x"), readOnly: true))), StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_SiblingSharingThePrefixsName_Refused()
    {
        Assert.StartsWith($"hostPath volume \"host\" mounts {Host("logs2")}, which is not under",
            Refused(Limited, Container(HostPathPod(Host("logs2"), readOnly: true))), StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_WritableMountOfAReadOnlyPrefix_RefusedAskingForReadOnly()
    {
        Assert.Equal(
            $"hostPath volume \"host\" mounts {Host("logs", "app")} writable in container main, and this host allows it read-only only (allowed-host-paths: {Host("logs")} read-only): "
            + "set readOnly: true on the volumeMount",
            Refused(Limited, Container(HostPathPod(Host("logs", "app")))));
    }

    [Fact]
    public void Admit_ReadOnlyMountUnderAReadOnlyPrefix_Admitted()
    {
        var container = Container(HostPathPod(Host("logs", "app"), readOnly: true));

        Assert.Equal(container.Launch.Binds, Admitted(Limited, container).Binds);
    }

    [Fact]
    public void Admit_WritableMountUnderAWritablePrefix_AdmittedEvenWhenAReadOnlyPrefixAlsoMatches()
    {
        var policy = Policy(paths: "$HOST/logs:ro,$HOST/logs/app");

        var container = Container(HostPathPod(Host("logs", "app", "x")));

        Assert.Equal(container.Launch.Binds, Admitted(policy, container).Binds);
    }

    [Fact]
    public void Admit_AllowedPathThroughALink_BoundAtTheResolvedPath()
    {
        File.CreateSymbolicLink(Host("logs", "current"), Host("logs", "app"));
        var container = Container(HostPathPod(Host("logs", "current"), readOnly: true));

        var bind = Assert.Single(Admitted(Limited, container).Binds);

        Assert.Equal(new BindMount(Host("logs", "app"), "/host", ReadOnly: true), bind);
    }

    [Fact]
    public void Admit_PrefixThatIsALink_ComparedAtItsTarget()
    {
        File.CreateSymbolicLink(Host("varlog"), Host("logs"));
        var policy = Policy(paths: "$HOST/varlog:ro");

        Assert.Single(Admitted(policy, Container(HostPathPod(Host("logs", "app"), readOnly: true))).Binds);
    }

    [Fact]
    public void Admit_HostPathSubPathThroughALink_Refused()
    {
        File.CreateSymbolicLink(Host("data", "escape"), "/etc");

        Assert.StartsWith($"hostPath volume \"host\" mounts {Host("data", "escape")} (resolved: /etc)",
            Refused(Limited, Container(HostPathPod(Host("data"), subPath: "escape"))), StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_EmptyDirSubPathThroughALinkAContainerMade_RefusedWhenPathsAreLimited()
    {
        var pod = TestPods.Pod();
        pod.Spec.Volumes.Add(new Volume { Name = "scratch", EmptyDir = new EmptyDirVolumeSource() });
        pod.Spec.Containers[0].VolumeMounts.Add(new VolumeMount { Name = "scratch", MountPath = "/scratch", SubPath = "x" });
        var volume = PodVolumePaths.HostPath(pod, pod.Spec.Volumes[0], _node);
        Directory.CreateDirectory(volume);
        File.CreateSymbolicLink(Path.Combine(volume, "x"), "/");

        Assert.Equal("volumeMount /scratch of container main: subPath x of volume \"scratch\" resolves to /, outside the volume", Refused(Limited, Container(pod)));
        Assert.Single(Admitted(Policy(paths: null), Container(pod)).Binds);
    }

    [Fact]
    public void Admit_NoPathAllowed_RefusesEveryHostPath()
    {
        Assert.EndsWith("(allowed-host-paths: none)", Refused(Policy(paths: ""), Container(HostPathPod(Host("logs"), readOnly: true))), StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_HostPathVolumeNotMountedByTheContainer_NotChecked()
    {
        var pod = TestPods.Pod();
        pod.Spec.Volumes.Add(new Volume { Name = "root", HostPath = new HostPathVolumeSource { Path = "/" } });

        Assert.Empty(Admitted(Limited, Container(pod)).Binds);
    }

    [Fact]
    public void Admit_StaticPod_Exempt()
    {
        var pod = HostPathPod("/");
        pod.Spec.Containers[0].SecurityContext = new SecurityContext { Privileged = true };
        var container = Container(pod, isStatic: true);

        Assert.Same(container.Launch, Policy(allowPrivileged: false, paths: "").Admit(container, container.Launch));
    }

    [Fact]
    public void Admit_UnownedPodFromTheControlPlane_StillChecked()
    {
        // A pod without a controller gets the "static" owner label, yet only where it was read from exempts it.
        var pod = HostPathPod("/");
        pod.Metadata.OwnerReferences.Clear();
        var container = Container(pod);

        Assert.Equal(SourceAuthority.StaticOwner, container.Launch.Labels[ContainerLabels.Owner]);
        Refused(Limited, container);
    }
}
