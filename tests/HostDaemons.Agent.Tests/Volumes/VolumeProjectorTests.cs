using System.Text;
using Google.Protobuf;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Agent.Volumes;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Volumes;

/// <summary>The files of configMap, secret, downwardAPI and projected volumes, from objects and the pod.</summary>
public sealed class VolumeProjectorTests
{
    private static readonly NodeAllocatable s_allocatable = new(CpuMillis: 4000, MemoryBytes: 8L << 30, EphemeralStorageBytes: 100L << 30);

    private static readonly ReferencedObjects s_objects = ReferencedObjects.From(
        [
            new ConfigMap
            {
                Metadata = new ObjectMeta { Name = "app" },
                Data = { ["app.conf"] = "level=info\n", ["mode"] = "fast" },
                BinaryData = { ["logo.bin"] = ByteString.CopyFrom(0, 255) },
            },
        ],
        [new Secret { Metadata = new ObjectMeta { Name = "token" }, Data = { ["token"] = ByteString.CopyFromUtf8("s3cr3t"), ["ca.crt"] = ByteString.CopyFromUtf8("CA") } }],
        version: 1);

    [Fact]
    public void Project_ConfigMapWithoutItems_EveryKeyAndBinaryKeyWithTheDefaultMode()
    {
        var files = Project(new Volume { Name = "v", ConfigMap = new ConfigMapVolumeSource { Name = "app" } });

        Assert.Equal(["app.conf", "logo.bin", "mode"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("level=info\n", Text(files["app.conf"]));
        Assert.Equal([0, 255], files["logo.bin"].Data);
        Assert.All(files.Values, f => Assert.Equal(420, f.Mode));
    }

    [Fact]
    public void Project_ConfigMapItems_SelectRenameAndSetModes()
    {
        var files = Project(new Volume
        {
            Name = "v",
            ConfigMap = new ConfigMapVolumeSource
            {
                Name = "app",
                DefaultMode = 256,
                Items = { new KeyToPath { Key = "app.conf", Path = "conf/app.conf" }, new KeyToPath { Key = "mode", Path = "m", Mode = 448 } },
            },
        });

        Assert.Equal(new Dictionary<string, FileProjection>
        {
            ["conf/app.conf"] = FileProjection.Text("level=info\n", 256),
            ["m"] = FileProjection.Text("fast", 448),
        }, files);
    }

    [Fact]
    public void Project_ConfigMapItemWithMissingKey_FailsWithTheKubeletsMessage()
    {
        var volume = new Volume { Name = "v", ConfigMap = new ConfigMapVolumeSource { Name = "app", Items = { new KeyToPath { Key = "nope", Path = "x" } } } };

        var error = Assert.Throws<VolumeSetUpException>(() => Project(volume));

        Assert.Equal("configmap references non-existent config key: nope", error.Message);
    }

    [Fact]
    public void Project_OptionalConfigMapItemWithMissingKey_IsLeftOut()
    {
        var volume = new Volume
        {
            Name = "v",
            ConfigMap = new ConfigMapVolumeSource { Name = "app", Optional = true, Items = { new KeyToPath { Key = "nope", Path = "x" }, new KeyToPath { Key = "mode", Path = "m" } } },
        };

        Assert.Equal(["m"], Project(volume).Keys);
    }

    [Fact]
    public void Project_MissingConfigMap_FailsUnlessOptional()
    {
        var error = Assert.Throws<VolumeSetUpException>(() => Project(new Volume { Name = "v", ConfigMap = new ConfigMapVolumeSource { Name = "absent" } }));

        Assert.Equal("configmap \"absent\" not found", error.Message);
        Assert.Empty(Project(new Volume { Name = "v", ConfigMap = new ConfigMapVolumeSource { Name = "absent", Optional = true } }));
    }

    [Fact]
    public void Project_ObjectsNeverFetched_FailsEvenWhenOptional()
    {
        var volume = new Volume { Name = "v", Secret = new SecretVolumeSource { SecretName = "token", Optional = true } };

        var error = Assert.Throws<VolumeSetUpException>(() => VolumeProjector.Project(TestPods.Pod(), volume, ReferencedObjects.Unknown, s_allocatable));

        Assert.Equal("failed to sync secret cache: timed out waiting for the condition", error.Message);
    }

    [Fact]
    public void Project_Secret_BytesAsTheyAreAndTheKubeletsMessages()
    {
        var files = Project(new Volume { Name = "v", Secret = new SecretVolumeSource { SecretName = "token", DefaultMode = 256 } });

        Assert.Equal("s3cr3t", Text(files["token"]));
        Assert.Equal(256, files["token"].Mode);
        Assert.Equal("references non-existent secret key: key",
            Assert.Throws<VolumeSetUpException>(() => Project(new Volume
            {
                Name = "v",
                Secret = new SecretVolumeSource { SecretName = "token", Items = { new KeyToPath { Key = "key", Path = "k" } } },
            })).Message);
        Assert.Equal("secret \"other\" not found",
            Assert.Throws<VolumeSetUpException>(() => Project(new Volume { Name = "v", Secret = new SecretVolumeSource { SecretName = "other" } })).Message);
    }

    [Fact]
    public void Project_DownwardApi_LabelsAndAnnotationsInTheKubeletsFormat()
    {
        var pod = TestPods.Pod();
        pod.Metadata.Labels.Add(new Dictionary<string, string> { ["zone"] = "eu-1", ["app"] = "fluentd" });
        pod.Metadata.Annotations.Add(new Dictionary<string, string> { ["note"] = "say \"hi\"\nthen\tleave \\ é ☃", ["empty"] = "" });
        var volume = new Volume
        {
            Name = "podinfo",
            DownwardApi = new DownwardAPIVolumeSource
            {
                Items =
                {
                    Field("labels", "metadata.labels"),
                    Field("annotations", "metadata.annotations"),
                    Field("name", "metadata.name"),
                    Field("namespace", "metadata.namespace"),
                    Field("uid", "metadata.uid"),
                    Field("zone", "metadata.labels['zone']"),
                },
            },
        };

        var files = VolumeProjector.Project(pod, volume, ReferencedObjects.None, s_allocatable);

        Assert.Equal("app=\"fluentd\"\nzone=\"eu-1\"", Text(files["labels"]));
        Assert.Equal("empty=\"\"\nnote=\"say \\\"hi\\\"\\nthen\\tleave \\\\ é ☃\"", Text(files["annotations"]));
        Assert.Equal(pod.Metadata.Name, Text(files["name"]));
        Assert.Equal(TestPods.Namespace, Text(files["namespace"]));
        Assert.Equal(pod.Metadata.Uid, Text(files["uid"]));
        Assert.Equal("eu-1", Text(files["zone"]));
        Assert.All(files.Values, f => Assert.Equal(420, f.Mode));
    }

    [Fact]
    public void Project_DownwardApiResources_LimitsWithDivisorAndAllocatableWithoutLimit()
    {
        var container = TestPods.Container();
        container.Resources = new ResourceRequirements { Limits = { ["cpu"] = "1500m", ["memory"] = "256Mi" }, Requests = { ["cpu"] = "250m" } };
        var pod = TestPods.Pod(containers: [container, TestPods.Container("sidecar")]);
        var volume = new Volume
        {
            Name = "resources",
            DownwardApi = new DownwardAPIVolumeSource
            {
                Items =
                {
                    Resource("cpu-cores", "main", "limits.cpu", ""),
                    Resource("cpu-millis", "main", "limits.cpu", "1m"),
                    Resource("memory-mi", "main", "limits.memory", "1Mi"),
                    Resource("request-cpu", "main", "requests.cpu", "1m"),
                    Resource("sidecar-cpu", "sidecar", "limits.cpu", "1m"),
                    Resource("sidecar-memory", "sidecar", "limits.memory", "1Gi"),
                    Resource("sidecar-request", "sidecar", "requests.memory", ""),
                },
            },
        };

        var files = VolumeProjector.Project(pod, volume, ReferencedObjects.None, s_allocatable);

        Assert.Equal("2", Text(files["cpu-cores"]));
        Assert.Equal("1500", Text(files["cpu-millis"]));
        Assert.Equal("256", Text(files["memory-mi"]));
        Assert.Equal("250", Text(files["request-cpu"]));
        Assert.Equal("4000", Text(files["sidecar-cpu"]));
        Assert.Equal("8", Text(files["sidecar-memory"]));
        Assert.Equal("0", Text(files["sidecar-request"]));
    }

    [Fact]
    public void Project_DownwardApiResourceOfAnUnknownContainer_Fails()
    {
        var volume = new Volume { Name = "r", DownwardApi = new DownwardAPIVolumeSource { Items = { Resource("x", "nope", "limits.cpu", "") } } };

        Assert.Equal("container nope not found", Assert.Throws<VolumeSetUpException>(() => Project(volume)).Message);
    }

    [Fact]
    public void Project_Projected_SourcesInOrderWithTheVolumesDefaultMode()
    {
        var volume = new Volume
        {
            Name = "all",
            Projected = new ProjectedVolumeSource
            {
                DefaultMode = 288,
                Sources =
                {
                    new VolumeProjection { ConfigMap = new ConfigMapProjection { Name = "app", Items = { new KeyToPath { Key = "mode", Path = "config/mode" } } } },
                    new VolumeProjection { Secret = new SecretProjection { Name = "token", Items = { new KeyToPath { Key = "token", Path = "token", Mode = 256 } } } },
                    new VolumeProjection { Secret = new SecretProjection { Name = "absent", Optional = true } },
                    new VolumeProjection { DownwardApi = new DownwardAPIProjection { Items = { Field("name", "metadata.name") } } },
                },
            },
        };

        var files = Project(volume);

        Assert.Equal(new Dictionary<string, FileProjection>
        {
            ["config/mode"] = FileProjection.Text("fast", 288),
            ["token"] = FileProjection.Text("s3cr3t", 256),
            ["name"] = FileProjection.Text(TestPods.Pod().Metadata.Name, 288),
        }, files);
    }

    [Fact]
    public void Project_ProjectedWithAMissingSecret_FailsNamingIt()
    {
        var volume = new Volume
        {
            Name = "all",
            Projected = new ProjectedVolumeSource { Sources = { new VolumeProjection { Secret = new SecretProjection { Name = "absent" } } } },
        };

        Assert.Equal("secret \"absent\" not found", Assert.Throws<VolumeSetUpException>(() => Project(volume)).Message);
    }

    private static Dictionary<string, FileProjection> Project(Volume volume) => VolumeProjector.Project(TestPods.Pod(), volume, s_objects, s_allocatable);

    private static string Text(FileProjection file) => Encoding.UTF8.GetString(file.Data);

    private static DownwardAPIVolumeFile Field(string path, string fieldPath) => new() { Path = path, FieldRef = new ObjectFieldSelector { ApiVersion = "v1", FieldPath = fieldPath } };

    private static DownwardAPIVolumeFile Resource(string path, string container, string resource, string divisor) =>
        new() { Path = path, ResourceFieldRef = new ResourceFieldSelector { ContainerName = container, Resource = resource, Divisor = divisor } };
}
