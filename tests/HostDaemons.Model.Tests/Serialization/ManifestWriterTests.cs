using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Serialization;

public sealed class ManifestWriterTests
{
    private static string Example(string path) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", path));

    private static DaemonSet DecodeDaemonSet(string text)
    {
        var result = ObjectDecoder.Decode(Assert.Single(ManifestParser.Parse(text)).Root!, DaemonSet.Parser);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Value;
    }

    private static T Decode<T>(string text, Google.Protobuf.MessageParser<T> parser)
        where T : Google.Protobuf.IMessage<T>
    {
        var result = ObjectDecoder.Decode(Assert.Single(ManifestParser.Parse(text)).Root!, parser);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Value;
    }

    private static string Yaml(Google.Protobuf.IMessage message) => ManifestWriter.ToYaml(ObjectEncoder.Encode(message));

    [Theory]
    [InlineData("ssd-monitor/ssd-monitor-daemonset.yaml")]
    [InlineData("fluentd/fluentd-ds.yaml")]
    [InlineData("fluentd/fluentd-elasticsearch.yaml")]
    public void ToYaml_DecodedExample_DecodesBackEqual(string path)
    {
        var original = DecodeDaemonSet(Example(path));

        var again = DecodeDaemonSet(Yaml(original));

        Assert.Equal(original, again);
    }

    [Theory]
    [InlineData("ssd-monitor/ssd-monitor-daemonset.yaml")]
    [InlineData("fluentd/fluentd-ds.yaml")]
    [InlineData("fluentd/fluentd-elasticsearch.yaml")]
    public void ToYaml_DefaultedExample_DecodesBackEqualAndPrintsTheSame(string path)
    {
        var original = DecodeDaemonSet(Example(path));
        ObjectDefaults.Apply(original);
        var yaml = Yaml(original);

        var again = DecodeDaemonSet(yaml);

        Assert.Equal(original, again);
        Assert.Equal(yaml, Yaml(again));
    }

    [Theory]
    [InlineData("ssd-monitor/ssd-monitor-daemonset.yaml")]
    [InlineData("fluentd/fluentd-elasticsearch.yaml")]
    public void ToJson_DecodedExample_DecodesBackEqual(string path)
    {
        var original = DecodeDaemonSet(Example(path));
        ObjectDefaults.Apply(original);

        var again = DecodeDaemonSet(ManifestWriter.ToJson(ObjectEncoder.Encode(original)));

        Assert.Equal(original, again);
    }

    [Fact]
    public void ToYaml_DefaultedDaemonSet_PrintsAsKubectl()
    {
        var ds = TestObjects.DaemonSet();
        ObjectDefaults.Apply(ds);
        ds.Metadata.CreationTimestamp = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        ds.Status = new DaemonSetStatus { DesiredNumberScheduled = 2, CurrentNumberScheduled = 2, NumberReady = 0, NumberMisscheduled = 0, UpdatedNumberScheduled = 0 };

        Assert.Equal("""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              creationTimestamp: "2026-01-02T03:04:05Z"
              name: x
              namespace: default
            spec:
              revisionHistoryLimit: 10
              selector:
                matchLabels:
                  app: x
              template:
                metadata:
                  labels:
                    app: x
                spec:
                  containers:
                  - image: busybox
                    imagePullPolicy: IfNotPresent
                    name: main
                    terminationMessagePath: /dev/termination-log
                    terminationMessagePolicy: File
                  dnsPolicy: ClusterFirst
                  restartPolicy: Always
                  schedulerName: default-scheduler
                  terminationGracePeriodSeconds: 30
              updateStrategy:
                rollingUpdate:
                  maxSurge: 0
                  maxUnavailable: 1
                type: RollingUpdate
            status:
              currentNumberScheduled: 2
              desiredNumberScheduled: 2
              numberMisscheduled: 0
              numberReady: 0

            """.ReplaceLineEndings("\n"), Yaml(ds));
    }

    [Theory]
    [InlineData("123")]
    [InlineData("1.5")]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData("0644")]
    [InlineData("0b101")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("True")]
    [InlineData("yes")]
    [InlineData("no")]
    [InlineData("on")]
    [InlineData("off")]
    [InlineData("y")]
    [InlineData("N")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("2026-01-02")]
    public void ToYaml_StringThatLooksLikeAnotherType_IsDoubleQuoted(string value)
    {
        var meta = new ObjectMeta { Name = "x" };
        meta.Labels["v"] = value;

        var yaml = Yaml(meta);

        Assert.Contains($"  v: \"{value}\"\n", yaml, StringComparison.Ordinal);
        Assert.Equal(value, Decode(yaml, ObjectMeta.Parser).Labels["v"]);
    }

    [Theory]
    [InlineData("busybox")]
    [InlineData("ssd-monitor")]
    [InlineData("v1.2")]
    [InlineData("25%")]
    [InlineData("/var/log")]
    public void ToYaml_OrdinaryString_IsPlain(string value)
    {
        var meta = new ObjectMeta { Name = value };

        Assert.Equal($"name: {value}\n", Yaml(meta));
    }

    [Fact]
    public void ToYaml_KeyThatLooksLikeANumber_IsQuoted()
    {
        var meta = new ObjectMeta();
        meta.Labels["123"] = "x";

        var yaml = Yaml(meta);

        Assert.Contains("\"123\": x", yaml, StringComparison.Ordinal);
        Assert.Equal("x", Decode(yaml, ObjectMeta.Parser).Labels["123"]);
    }

    [Theory]
    [InlineData("a: b")]
    [InlineData("- item")]
    [InlineData("#comment")]
    [InlineData("*alias")]
    [InlineData("&anchor")]
    [InlineData("{x}")]
    [InlineData("[x]")]
    [InlineData("'quoted'")]
    [InlineData("\"double\"")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("a #b")]
    [InlineData("%percent")]
    [InlineData("@at")]
    [InlineData("!tag")]
    public void ToYaml_StringWithYamlSyntax_ReadsBackUnchanged(string value)
    {
        var meta = new ObjectMeta { Name = "x" };
        meta.Annotations["note"] = value;

        Assert.Equal(value, Decode(Yaml(meta), ObjectMeta.Parser).Annotations["note"]);
    }

    [Theory]
    [InlineData("line1\nline2")]
    [InlineData("line1\nline2\n")]
    [InlineData("a\n\nb")]
    public void ToYaml_MultilineString_ReadsBackUnchanged(string value)
    {
        var meta = new ObjectMeta { Name = "x" };
        meta.Annotations["note"] = value;

        Assert.Equal(value, Decode(Yaml(meta), ObjectMeta.Parser).Annotations["note"]);
    }

    [Fact]
    public void ToYaml_MultilineString_UsesLiteralBlock()
    {
        var meta = new ObjectMeta();
        meta.Annotations["note"] = "line1\nline2";

        Assert.Equal("annotations:\n  note: |-\n    line1\n    line2\n", Yaml(meta));
    }

    [Fact]
    public void ToYaml_StringListItems_AreQuotedWhenNeeded()
    {
        var container = new Container { Name = "main", Command = { "sleep", "3600", "true" } };

        var yaml = Yaml(container);

        Assert.Equal("command:\n- sleep\n- \"3600\"\n- \"true\"\nname: main\n", yaml);
        Assert.Equal(container, Decode(yaml, Container.Parser));
    }

    [Fact]
    public void ToYaml_Booleans_AreBare()
    {
        var mount = new VolumeMount { Name = "logs", MountPath = "/var/log", ReadOnly = true };

        Assert.Equal("mountPath: /var/log\nname: logs\nreadOnly: true\n", Yaml(mount));
    }

    [Fact]
    public void ToYaml_IntOrString_BothFormsReadBack()
    {
        var rolling = new RollingUpdateDaemonSet
        {
            MaxUnavailable = new IntOrString { StringValue = "1" },
            MaxSurge = new IntOrString { IntValue = 1 },
        };

        var yaml = Yaml(rolling);

        Assert.Equal("maxSurge: 1\nmaxUnavailable: \"1\"\n", yaml);
        Assert.Equal(rolling, Decode(yaml, RollingUpdateDaemonSet.Parser));
    }

    [Fact]
    public void ToYaml_EmptyObject_IsBraces()
    {
        var yaml = ManifestWriter.ToYaml(new JsonObject { ["a"] = new JsonObject(), ["b"] = new JsonArray() });

        Assert.Equal("a: {}\nb: []\n", yaml);
    }

    [Fact]
    public void ToYaml_JsonNull_IsNull()
    {
        Assert.Equal("a: null\n", ManifestWriter.ToYaml(new JsonObject { ["a"] = null }));
    }

    [Fact]
    public void ToJson_IndentsWithFourSpacesAndEndsWithNewline()
    {
        var meta = new ObjectMeta { Name = "x" };
        meta.Labels["app"] = "x";

        var json = ManifestWriter.ToJson(ObjectEncoder.Encode(meta));

        Assert.Equal("{\n    \"labels\": {\n        \"app\": \"x\"\n    },\n    \"name\": \"x\"\n}\n", json.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ToJson_Timestamp_IsRfc3339()
    {
        var meta = new ObjectMeta { CreationTimestamp = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)) };

        Assert.Contains("\"creationTimestamp\": \"2026-01-02T03:04:05Z\"", ManifestWriter.ToJson(ObjectEncoder.Encode(meta)), StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_NonAsciiAndPlus_AreNotEscaped()
    {
        var meta = new ObjectMeta { Name = "x" };
        meta.Annotations["note"] = "café + ü";

        Assert.Contains("\"note\": \"café + ü\"", ManifestWriter.ToJson(ObjectEncoder.Encode(meta)), StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_NumbersAndBooleans_AreBare()
    {
        var json = ManifestWriter.ToJson(ObjectEncoder.Encode(new DaemonSetStatus { NumberReady = 0, NumberAvailable = 3 }));

        Assert.Equal("{\n    \"numberAvailable\": 3,\n    \"numberReady\": 0\n}\n", json.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ToYaml_PodWithStatus_RoundTrips()
    {
        var pod = new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                Name = "x-abcde",
                Namespace = "default",
                Uid = "0d6c6a2e-1",
                ResourceVersion = "42",
                Generation = 1,
                CreationTimestamp = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
                OwnerReferences = { new OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "x", Uid = "u", Controller = true, BlockOwnerDeletion = true } },
            },
            Spec = new PodSpec { NodeName = "node-1", Containers = { new Container { Name = "main", Image = "busybox" } } },
            Status = new PodStatus
            {
                Phase = "Running",
                HostIp = "10.0.0.1",
                StartTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero)),
                Conditions = { new PodCondition { Type = "Ready", Status = "True" } },
                ContainerStatuses =
                {
                    new ContainerStatus
                    {
                        Name = "main",
                        Ready = true,
                        RestartCount = 2,
                        Started = true,
                        State = new ContainerState { Running = new ContainerStateRunning { StartedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 5, 0, TimeSpan.Zero)) } },
                        LastState = new ContainerState { Terminated = new ContainerStateTerminated { ExitCode = 1, Reason = "Error" } },
                    },
                },
            },
        };

        var yaml = Yaml(pod);

        Assert.Equal(pod, Decode(yaml, Pod.Parser));
        Assert.Contains("resourceVersion: \"42\"", yaml, StringComparison.Ordinal);
        Assert.Contains("hostIP: 10.0.0.1", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("25%")]
    [InlineData("+1")]
    [InlineData("0o17")]
    [InlineData("Yes")]
    public void ToYaml_IntOrStringThatLooksNumeric_ReadsBackAsString(string value)
    {
        var rolling = new RollingUpdateDaemonSet { MaxUnavailable = new IntOrString { StringValue = value } };

        Assert.Equal(rolling, Decode(Yaml(rolling), RollingUpdateDaemonSet.Parser));
    }

    [Fact]
    public void ToYaml_IntOrStringWithUnderscoreDigits_ReadsBackAsString()
    {
        var rolling = new RollingUpdateDaemonSet { MaxUnavailable = new IntOrString { StringValue = "1_000" } };

        Assert.Equal(rolling, Decode(Yaml(rolling), RollingUpdateDaemonSet.Parser));
    }
}
