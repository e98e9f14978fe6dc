using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Serialization;

public sealed class ObjectEncoderTests
{
    private static Timestamp Time(int year, int month, int day, int hour, int minute, int second) =>
        Timestamp.FromDateTimeOffset(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero));

    [Fact]
    public void Encode_Keys_AreSortedAtEveryLevel()
    {
        var node = ObjectEncoder.Encode(new Container
        {
            Name = "main",
            Image = "busybox",
            ImagePullPolicy = "Always",
            Args = { "x" },
            Env = { new EnvVar { Value = "1", Name = "A" } },
        });

        Assert.Equal(["args", "env", "image", "imagePullPolicy", "name"], node.Select(p => p.Key));
        Assert.Equal(["name", "value"], node["env"]![0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Encode_MapKeys_AreSorted()
    {
        var meta = new ObjectMeta { Name = "x" };
        meta.Labels["zone"] = "eu";
        meta.Labels["app"] = "x";
        meta.Labels["Tier"] = "a";

        var labels = ObjectEncoder.Encode(meta)["labels"]!.AsObject();

        Assert.Equal(["Tier", "app", "zone"], labels.Select(p => p.Key));
    }

    [Fact]
    public void Encode_EmptyFields_AreLeftOut()
    {
        var node = ObjectEncoder.Encode(new PodSpec
        {
            NodeName = "",
            HostNetwork = false,
            Containers = { new Container { Name = "main" } },
        });

        Assert.Equal(["containers"], node.Select(p => p.Key));
        Assert.Equal(["name"], node["containers"]![0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Encode_EmptyMessage_IsAnEmptyObject()
    {
        var node = ObjectEncoder.Encode(new DaemonSet { Status = new DaemonSetStatus() });

        Assert.Equal("{\"status\":{}}", node.ToJsonString());
    }

    [Fact]
    public void Encode_OptionalCountsSetToZero_ArePrintedWhilePlainZerosAreNot()
    {
        var status = new DaemonSetStatus
        {
            NumberReady = 0,
            DesiredNumberScheduled = 0,
            CurrentNumberScheduled = 2,
            UpdatedNumberScheduled = 0,
            NumberAvailable = 0,
            ObservedGeneration = 0,
        };

        var node = ObjectEncoder.Encode(status);

        Assert.Equal("{\"currentNumberScheduled\":2,\"desiredNumberScheduled\":0,\"numberReady\":0}", node.ToJsonString());
    }

    [Fact]
    public void Encode_OptionalFieldsNeverSet_AreLeftOut()
    {
        Assert.Equal("{}", ObjectEncoder.Encode(new DaemonSetStatus()).ToJsonString());
        Assert.Equal("{}", ObjectEncoder.Encode(new DaemonSetSpec()).ToJsonString());
    }

    [Fact]
    public void Encode_OptionalZeroSpecFields_ArePrinted()
    {
        var spec = new DaemonSetSpec { MinReadySeconds = 0, RevisionHistoryLimit = 0 };

        Assert.Equal("{\"minReadySeconds\":0,\"revisionHistoryLimit\":0}", ObjectEncoder.Encode(spec).ToJsonString());
    }

    [Fact]
    public void Encode_OptionalFalse_IsPrinted()
    {
        var node = ObjectEncoder.Encode(new OwnerReference { Name = "x", Controller = false, BlockOwnerDeletion = true });

        Assert.Equal("{\"blockOwnerDeletion\":true,\"controller\":false,\"name\":\"x\"}", node.ToJsonString());
    }

    [Fact]
    public void Encode_Timestamp_IsRfc3339InUtc()
    {
        var meta = new ObjectMeta { CreationTimestamp = Time(2026, 1, 2, 3, 4, 5) };

        Assert.Equal("2026-01-02T03:04:05Z", ObjectEncoder.Encode(meta)["creationTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public void FormatTime_SubSecondPrecision_IsTruncatedToSeconds()
    {
        var time = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 999, TimeSpan.Zero));

        Assert.Equal("2026-01-02T03:04:05Z", ObjectEncoder.FormatTime(time));
    }

    [Fact]
    public void FormatTime_Epoch_IsPrinted()
    {
        Assert.Equal("1970-01-01T00:00:00Z", ObjectEncoder.FormatTime(new Timestamp()));
    }

    [Fact]
    public void Encode_IntOrString_IsABareValue()
    {
        var rolling = new RollingUpdateDaemonSet
        {
            MaxUnavailable = new IntOrString { StringValue = "25%" },
            MaxSurge = new IntOrString { IntValue = 0 },
        };

        var node = ObjectEncoder.Encode(rolling);

        Assert.Equal("{\"maxSurge\":0,\"maxUnavailable\":\"25%\"}", node.ToJsonString());
    }

    [Fact]
    public void Encode_KubernetesJsonNames_AreUsed()
    {
        var status = new PodStatus { HostIp = "10.0.0.1", PodIp = "172.17.0.2", ContainerStatuses = { new ContainerStatus { ContainerId = "docker://a", ImageId = "sha256:b" } } };

        var node = ObjectEncoder.Encode(status);

        Assert.Equal("10.0.0.1", node["hostIP"]!.GetValue<string>());
        Assert.Equal("172.17.0.2", node["podIP"]!.GetValue<string>());
        Assert.Equal("docker://a", node["containerStatuses"]![0]!["containerID"]!.GetValue<string>());
        Assert.Equal("sha256:b", node["containerStatuses"]![0]!["imageID"]!.GetValue<string>());
    }

    [Fact]
    public void Encode_Int64_IsANumber()
    {
        var node = ObjectEncoder.Encode(new PodSpec { TerminationGracePeriodSeconds = 30 });

        Assert.Equal(30L, node["terminationGracePeriodSeconds"]!.GetValue<long>());
    }

    [Fact]
    public void Encode_ThenDecode_GivesEqualMessage()
    {
        var ds = TestObjects.DaemonSet();
        ds.Metadata.CreationTimestamp = Time(2026, 1, 2, 3, 4, 5);
        ds.Spec.UpdateStrategy = new DaemonSetUpdateStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new RollingUpdateDaemonSet { MaxUnavailable = new IntOrString { StringValue = "1" }, MaxSurge = new IntOrString { IntValue = 0 } },
        };
        ds.Status = new DaemonSetStatus { NumberReady = 0, DesiredNumberScheduled = 3 };

        var json = ObjectEncoder.Encode(ds).ToJsonString();
        var decoded = ObjectDecoder.Decode(Assert.Single(ManifestParser.Parse(json)).Root!, DaemonSet.Parser);

        Assert.True(decoded.Succeeded, string.Join("\n", decoded.Errors));
        Assert.Equal(ds, decoded.Value);
    }

    [Fact]
    public void Encode_Result_IsAJsonObject()
    {
        Assert.IsType<JsonObject>(ObjectEncoder.Encode(new Pod()));
    }
}
