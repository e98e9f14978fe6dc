using System.Security.Cryptography;
using System.Text;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.StaticPods;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.StaticPods;

public sealed class StaticPodManifestTests
{
    private const string Path = "/etc/hostdaemons/manifests/monitor.yaml";
    private const string Node = "Edge-01";

    private static readonly DateTimeOffset s_seen = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private const string Monitor = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: monitor
          labels: {app: monitor, tier: node}
        spec:
          containers:
          - name: main
            image: busybox:latest
            command: ["/bin/sh", "-c", "sleep 3600"]
        """;

    [Fact]
    public void Parse_ValidPod_NamedAfterNodeAndDefaultedAsKubelet()
    {
        var pod = Valid(Monitor);

        Assert.Equal("monitor-edge-01", pod.Metadata.Name);
        Assert.Equal("default", pod.Metadata.Namespace);
        Assert.Equal(Node, pod.Spec.NodeName);
        Assert.Matches("^[0-9a-f]{32}$", pod.Metadata.Uid);
        Assert.Equal(pod.Metadata.Uid, pod.Metadata.Annotations["kubernetes.io/config.hash"]);
        Assert.Equal("file", pod.Metadata.Annotations["kubernetes.io/config.source"]);
        Assert.Equal("2025-06-01T12:00:00.0000000Z", pod.Metadata.Annotations["kubernetes.io/config.seen"]);
        Assert.Contains(pod.Spec.Tolerations, t => t.Operator == "Exists" && t.Effect == "NoExecute" && t.Key.Length == 0);
        Assert.Equal("Always", pod.Spec.RestartPolicy);
        Assert.Equal(30, pod.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("IfNotPresent", pod.Spec.Containers[0].ImagePullPolicy);
        Assert.NotEmpty(pod.Metadata.ResourceVersion);
        Assert.Empty(pod.Metadata.OwnerReferences);
    }

    [Fact]
    public void Parse_NamespaceSet_KeepsIt()
    {
        var pod = Valid(Monitor.Replace("  name: monitor\n", "  name: monitor\n  namespace: kube-system\n", StringComparison.Ordinal));

        Assert.Equal("kube-system", pod.Metadata.Namespace);
    }

    [Fact]
    public void Parse_ValidPod_ContainersOwnedByStatic()
    {
        var desired = ContainerSpecBuilder.Build(Valid(Monitor), Node);

        Assert.Equal("static", desired.Owner);
        Assert.Equal("static", desired.Containers[0].Launch.Labels["io.hostdaemons.owner"]);
    }

    [Fact]
    public void Parse_WhitespaceCommentsAndKeyOrderChanged_SameUid()
    {
        const string Reformatted = """
            # the node monitor
            kind: Pod
            apiVersion: v1

            spec:
              containers:
                - command: ["/bin/sh", "-c", "sleep 3600"]   # runs forever
                  image: busybox:latest
                  name: main
            metadata:
              labels:
                tier: node
                app: monitor
              name: monitor
            """;

        Assert.Equal(Valid(Monitor).Metadata.Uid, Valid(Reformatted).Metadata.Uid);
    }

    [Fact]
    public void Parse_SameContentAsJson_SameUid()
    {
        const string Json = """
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "monitor", "labels": {"tier": "node", "app": "monitor"}},
             "spec": {"containers": [{"name": "main", "image": "busybox:latest", "command": ["/bin/sh", "-c", "sleep 3600"]}]}}
            """;

        Assert.Equal(Valid(Monitor).Metadata.Uid, StaticPodManifest.Parse("/m/monitor.json", Json, Node, s_seen).Pod?.Metadata.Uid);
    }

    [Fact]
    public void Parse_DefaultWrittenOut_SameUid()
    {
        var explicitPolicy = Monitor.Replace("    image: busybox:latest\n", "    image: busybox:latest\n    imagePullPolicy: IfNotPresent\n", StringComparison.Ordinal);

        Assert.Equal(Valid(Monitor).Metadata.Uid, Valid(explicitPolicy).Metadata.Uid);
    }

    // Defaults a later version added to existing fields must not change the uid, or an upgrade would replace the pod:
    // the uid is still the digest of the pod as the earlier defaults left it.
    [Fact]
    public void Parse_PodFromBeforeLaterDefaults_KeepsItsUid()
    {
        var before = Assert.IsType<Pod>(Assert.Single(Model.Serialization.ManifestReader.Read(Monitor, Path).Objects).Value).Clone();
        before.Spec.SchedulerName = "";
        before.Spec.ClearEnableServiceLinks();
        before.Spec.Containers[0].TerminationMessagePath = "";
        before.Spec.Containers[0].TerminationMessagePolicy = "";
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(Model.Serialization.ObjectEncoder.Encode(before).ToJsonString() + "host:" + Node));

        Assert.Equal(Convert.ToHexStringLower(digest[..16]), Valid(Monitor).Metadata.Uid);
    }

    [Theory]
    [InlineData("busybox:latest", "busybox:1.36")]
    [InlineData("app: monitor", "app: monitor2")]
    [InlineData("sleep 3600", "sleep 3601")]
    public void Parse_ContentChanged_NewUidAndResourceVersion(string from, string to)
    {
        var before = Valid(Monitor);
        var after = Valid(Monitor.Replace(from, to, StringComparison.Ordinal));

        Assert.NotEqual(before.Metadata.Uid, after.Metadata.Uid);
        Assert.NotEqual(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }

    [Fact]
    public void Parse_OtherNode_NewUid()
    {
        var other = StaticPodManifest.Parse(Path, Monitor, "edge-02", s_seen).Pod!;

        Assert.NotEqual(Valid(Monitor).Metadata.Uid, other.Metadata.Uid);
        Assert.Equal("monitor-edge-02", other.Metadata.Name);
    }

    [Fact]
    public void Parse_OtherPathOrTime_SameUid()
    {
        var moved = StaticPodManifest.Parse("/elsewhere/renamed.yml", Monitor, Node, s_seen.AddHours(1)).Pod!;

        Assert.Equal(Valid(Monitor).Metadata.Uid, moved.Metadata.Uid);
        Assert.Equal(Valid(Monitor).Metadata.ResourceVersion, moved.Metadata.ResourceVersion);
    }

    [Fact]
    public void Parse_UidInManifest_KeptAsKubeletDoes()
    {
        var pod = Valid(Monitor.Replace("  name: monitor\n", "  name: monitor\n  uid: my-own-uid\n", StringComparison.Ordinal));

        Assert.Equal("my-own-uid", pod.Metadata.Uid);
        Assert.Equal("my-own-uid", pod.Metadata.Annotations["kubernetes.io/config.hash"]);
    }

    [Fact]
    public void Parse_MisspelledField_ErrorWithFileLineAndSuggestion()
    {
        var error = Invalid(Monitor.Replace("    image: busybox", "    imgae: busybox", StringComparison.Ordinal));

        Assert.Equal(Path, error.File);
        Assert.Equal(9, error.Line);
        Assert.Contains("\"imgae\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean \"image\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_YamlSyntaxError_ErrorWithLine()
    {
        var error = Invalid(Monitor.Replace("    command: [\"/bin/sh\", \"-c\", \"sleep 3600\"]", "    command: [\"/bin/sh\", \"-c\"", StringComparison.Ordinal) + "\n  volumes: [\n");

        Assert.Equal(Path, error.File);
        Assert.True(error.Line >= 9, error.ToString());
    }

    [Fact]
    public void Parse_MissingImage_ValidationErrorNamesFieldAndLine()
    {
        var error = Invalid(Monitor.Replace("    image: busybox:latest\n", "", StringComparison.Ordinal));

        Assert.Equal(8, error.Line);
        Assert.Contains("spec.containers[0].image: Required value", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pod \"monitor-edge-01\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ActiveDeadlineSeconds_Refused()
    {
        var error = Invalid(Monitor.Replace("spec:\n", "spec:\n  activeDeadlineSeconds: 60\n", StringComparison.Ordinal));

        Assert.Equal(7, error.Line);
        Assert.Contains("spec.activeDeadlineSeconds: Forbidden", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoName_Required()
    {
        var error = Invalid(Monitor.Replace("  name: monitor\n", "", StringComparison.Ordinal));

        Assert.Contains("metadata.name: Required value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DaemonSet_CouldNotParseAsPod()
    {
        const string DaemonSet = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: agent
            spec:
              selector: {matchLabels: {app: a}}
              template:
                metadata: {labels: {app: a}}
                spec:
                  containers: [{name: main, image: busybox}]
            """;

        var error = Invalid(DaemonSet);

        Assert.Equal(1, error.Line);
        Assert.Equal($"{Path}:1: couldn't parse as pod: found apps/v1 DaemonSet \"agent\"; a static pod manifest holds one v1 Pod", error.ToString());
    }

    [Fact]
    public void Parse_TwoPods_CouldNotParseAsPod()
    {
        var error = Invalid(Monitor + "\n---\n" + Monitor.Replace("name: monitor", "name: other", StringComparison.Ordinal));

        Assert.InRange(error.Line, 11, 12);
        Assert.Contains("couldn't parse as pod: the file holds 2 objects (v1 Pod \"monitor\", v1 Pod \"other\")", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing yet\n")]
    public void Parse_Empty_CouldNotParseAsPod(string text)
    {
        Assert.Contains("couldn't parse as pod: the file holds no object", Invalid(text).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongApiVersion_Error()
    {
        var error = Invalid(Monitor.Replace("apiVersion: v1", "apiVersion: v2", StringComparison.Ordinal));

        Assert.Equal(2, error.Line);
        Assert.Contains("no matches for kind \"Pod\" in version \"v2\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OwnerReferences_Refused()
    {
        var error = Invalid(Monitor.Replace("  name: monitor\n", "  name: monitor\n  ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: x, uid: u, controller: true}]\n", StringComparison.Ordinal));

        Assert.Contains("metadata.ownerReferences: Forbidden", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, error.Line);
    }

    private static Pod Valid(string text)
    {
        var result = StaticPodManifest.Parse(Path, text, Node, s_seen);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Empty(result.Errors);
        return result.Pod!;
    }

    private static ManifestError Invalid(string text)
    {
        var result = StaticPodManifest.Parse(Path, text, Node, s_seen);
        Assert.Null(result.Pod);
        Assert.NotEmpty(result.Errors);
        return result.Errors[0];
    }
}
