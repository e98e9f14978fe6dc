using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Serialization;

public sealed class ObjectDecoderTests
{
    private static DecodeResult<T> Decode<T>(string yaml, Google.Protobuf.MessageParser<T> parser)
        where T : Google.Protobuf.IMessage<T>
    {
        var document = Assert.Single(ManifestParser.Parse(yaml));
        Assert.Null(document.SyntaxError);
        return ObjectDecoder.Decode(document.Root!, parser);
    }

    private static ManifestError SingleError<T>(DecodeResult<T> result)
        where T : Google.Protobuf.IMessage<T>
    {
        Assert.False(result.Succeeded);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Decode_KubernetesFieldNames_FillsMessage()
    {
        var result = Decode("""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: x
              labels: {app: x}
            spec:
              minReadySeconds: 5
              revisionHistoryLimit: 0
              updateStrategy:
                type: RollingUpdate
                rollingUpdate: {maxUnavailable: 25%, maxSurge: 0}
              template:
                spec:
                  hostNetwork: true
                  terminationGracePeriodSeconds: 10
                  containers:
                  - name: main
                    image: busybox
                    command: [sh, -c]
                    args: ["sleep 1"]
                    env:
                    - {name: A, value: "1"}
                    volumeMounts:
                    - {name: logs, mountPath: /var/log, readOnly: true}
            """, DaemonSet.Parser);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var ds = result.Value;
        Assert.Equal("apps/v1", ds.ApiVersion);
        Assert.Equal("x", ds.Metadata.Labels["app"]);
        Assert.Equal(5, ds.Spec.MinReadySeconds);
        Assert.True(ds.Spec.HasRevisionHistoryLimit);
        Assert.Equal(0, ds.Spec.RevisionHistoryLimit);
        Assert.Equal("25%", ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.StringValue);
        Assert.Equal(IntOrString.ValueOneofCase.IntValue, ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge.ValueCase);
        var pod = ds.Spec.Template.Spec;
        Assert.True(pod.HostNetwork);
        Assert.Equal(10, pod.TerminationGracePeriodSeconds);
        var container = Assert.Single(pod.Containers);
        Assert.Equal(["sh", "-c"], container.Command);
        Assert.Equal(["sleep 1"], container.Args);
        Assert.Equal("1", container.Env[0].Value);
        Assert.True(container.VolumeMounts[0].ReadOnly);
    }

    [Fact]
    public void Decode_ExplicitJsonNames_UsesKubernetesCasing()
    {
        var result = Decode("""
            status:
              hostIP: 10.0.0.1
              podIP: 172.17.0.2
              containerStatuses:
              - name: main
                containerID: docker://abc
                imageID: sha256:def
                started: false
            """, Pod.Parser);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal("10.0.0.1", result.Value.Status.HostIp);
        Assert.Equal("172.17.0.2", result.Value.Status.PodIp);
        var status = result.Value.Status.ContainerStatuses[0];
        Assert.Equal("docker://abc", status.ContainerId);
        Assert.Equal("sha256:def", status.ImageId);
        Assert.True(status.HasStarted);
        Assert.False(status.Started);
    }

    [Fact]
    public void Decode_ProtobufStyleName_IsUnknownWithKubernetesSuggestion()
    {
        var error = SingleError(Decode("status:\n  hostIp: 10.0.0.1\n", Pod.Parser));

        Assert.Equal("status", error.FieldPath);
        Assert.Equal("unknown field \"hostIp\" in PodStatus (did you mean \"hostIP\"?)", error.Message);
        Assert.Equal(new SourcePosition(2, 3), error.Position);
    }

    [Fact]
    public void Decode_UnknownTopLevelField_HasNoFieldPath()
    {
        var error = SingleError(Decode("kind: DaemonSet\nspek: {}\n", DaemonSet.Parser));

        Assert.Null(error.FieldPath);
        Assert.Equal("unknown field \"spek\" in DaemonSet (did you mean \"spec\"?)", error.Message);
        Assert.Equal(new SourcePosition(2, 1), error.Position);
    }

    [Fact]
    public void Decode_UnknownFieldWithNothingClose_HasNoSuggestion()
    {
        var error = SingleError(Decode("spec:\n  template:\n    spec:\n      overhead: {}\n", DaemonSet.Parser));

        Assert.Equal("spec.template.spec", error.FieldPath);
        Assert.Equal("unknown field \"overhead\" in PodSpec", error.Message);
    }

    [Fact]
    public void Decode_EveryUnknownField_IsReported()
    {
        var result = Decode("metadata:\n  nmae: x\n  lables: {}\nspec:\n  selectr: {}\n", DaemonSet.Parser);

        Assert.Equal(3, result.Errors.Count);
        Assert.Equal([2, 3, 5], result.Errors.Select(e => e.Position.Line));
    }

    [Fact]
    public void Decode_DuplicateField_IsAnError()
    {
        var error = SingleError(Decode("metadata:\n  name: a\n  name: b\n", DaemonSet.Parser));

        Assert.Equal("metadata.name", error.FieldPath);
        Assert.Equal("duplicate field \"name\"", error.Message);
        Assert.Equal(3, error.Position.Line);
    }

    [Theory]
    [InlineData("spec:\n  minReadySeconds: soon\n", "spec.minReadySeconds", "expected an integer, got \"soon\"")]
    [InlineData("spec:\n  minReadySeconds: \"5\"\n", "spec.minReadySeconds", "expected an integer, got \"5\"")]
    [InlineData("spec:\n  minReadySeconds: 1.5\n", "spec.minReadySeconds", "expected an integer, got \"1.5\"")]
    [InlineData("spec:\n  minReadySeconds: 3000000000\n", "spec.minReadySeconds", "expected an integer, got \"3000000000\"")]
    [InlineData("spec:\n  minReadySeconds: [1]\n", "spec.minReadySeconds", "expected an integer, got a list")]
    [InlineData("spec:\n  template:\n    spec:\n      hostNetwork: maybe\n", "spec.template.spec.hostNetwork", "expected true or false, got \"maybe\"")]
    [InlineData("spec:\n  template:\n    spec:\n      hostNetwork: \"true\"\n", "spec.template.spec.hostNetwork", "expected true or false, got \"true\"")]
    [InlineData("spec:\n  template:\n    spec:\n      containers: {name: x}\n", "spec.template.spec.containers", "expected a list, got an object")]
    [InlineData("spec:\n  template: [a]\n", "spec.template", "expected an object, got a list")]
    [InlineData("spec:\n  selector: main\n", "spec.selector", "expected an object, got \"main\"")]
    [InlineData("metadata:\n  labels: [a]\n", "metadata.labels", "expected a map of strings, got a list")]
    [InlineData("metadata:\n  labels:\n    app: {x: y}\n", "metadata.labels[app]", "expected a string, got an object")]
    [InlineData("metadata:\n  name: [a]\n", "metadata.name", "expected a string, got a list")]
    [InlineData("metadata:\n  creationTimestamp: yesterday\n", "metadata.creationTimestamp", "expected an RFC 3339 time, got \"yesterday\"")]
    [InlineData("spec:\n  updateStrategy:\n    rollingUpdate:\n      maxSurge: {a: 1}\n", "spec.updateStrategy.rollingUpdate.maxSurge", "expected an integer or a string, got an object")]
    [InlineData("spec:\n  template:\n    spec:\n      containers:\n      - ~\n", "spec.template.spec.containers[0]", "a list item may not be null")]
    public void Decode_WrongShape_NamesFieldAndExpectation(string yaml, string path, string message)
    {
        var error = SingleError(Decode(yaml, DaemonSet.Parser));

        Assert.Equal(path, error.FieldPath);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Decode_ErrorPosition_IsTheValue()
    {
        var error = SingleError(Decode("spec:\n  minReadySeconds: soon\n", DaemonSet.Parser));

        Assert.Equal(new SourcePosition(2, 20), error.Position);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    public void Decode_YamlBooleans_ReadAsKubernetesReadsThem(string text, bool expected)
    {
        var result = Decode($"spec:\n  template:\n    spec:\n      hostNetwork: {text}\n", DaemonSet.Parser);

        Assert.True(result.Succeeded);
        Assert.Equal(expected, result.Value.Spec.Template.Spec.HostNetwork);
    }

    [Theory]
    [InlineData("1", IntOrString.ValueOneofCase.IntValue, 1, "")]
    [InlineData("0", IntOrString.ValueOneofCase.IntValue, 0, "")]
    [InlineData("\"1\"", IntOrString.ValueOneofCase.StringValue, 0, "1")]
    [InlineData("10%", IntOrString.ValueOneofCase.StringValue, 0, "10%")]
    [InlineData("'10%'", IntOrString.ValueOneofCase.StringValue, 0, "10%")]
    public void Decode_IntOrString_IntegerOnlyWhenPlainNumber(string text, IntOrString.ValueOneofCase expectedCase, int intValue, string stringValue)
    {
        var result = Decode($"spec:\n  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: {text}\n", DaemonSet.Parser);

        Assert.True(result.Succeeded);
        var value = result.Value.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable;
        Assert.Equal(expectedCase, value.ValueCase);
        Assert.Equal(intValue, value.IntValue);
        Assert.Equal(stringValue, value.StringValue);
    }

    [Theory]
    [InlineData("2026-01-02T03:04:05Z")]
    [InlineData("2026-01-02T05:04:05+02:00")]
    [InlineData("\"2026-01-02T03:04:05Z\"")]
    public void Decode_Rfc3339Time_ReadAsUtcTimestamp(string text)
    {
        var result = Decode($"metadata:\n  creationTimestamp: {text}\n", DaemonSet.Parser);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)), result.Value.Metadata.CreationTimestamp);
    }

    [Fact]
    public void Decode_NumbersAndBooleansInMaps_ReadAsTheirText()
    {
        var result = Decode("metadata:\n  labels:\n    version: 1.0\n    enabled: true\n    empty: ~\n", DaemonSet.Parser);

        Assert.True(result.Succeeded);
        Assert.Equal("1.0", result.Value.Metadata.Labels["version"]);
        Assert.Equal("true", result.Value.Metadata.Labels["enabled"]);
        Assert.Equal("", result.Value.Metadata.Labels["empty"]);
    }

    [Fact]
    public void Decode_NullValue_LeavesFieldUnset()
    {
        var result = Decode("metadata:\n  name: x\nspec:\n  minReadySeconds: ~\n  template: null\n", DaemonSet.Parser);

        Assert.True(result.Succeeded);
        Assert.False(result.Value.Spec.HasMinReadySeconds);
        Assert.Null(result.Value.Spec.Template);
        Assert.True(result.Positions.Contains("spec.template"));
    }

    [Fact]
    public void Decode_RootNotAnObject_IsAnError()
    {
        var result = Decode("- a\n- b\n", DaemonSet.Parser);

        var error = Assert.Single(result.Errors);
        Assert.Null(error.FieldPath);
        Assert.Equal("expected an object, got a list", error.Message);
    }

    [Fact]
    public void Decode_Positions_RecordEveryWrittenPath()
    {
        var result = Decode(TestObjects.DaemonSetYaml(), DaemonSet.Parser);

        Assert.True(result.Succeeded);
        Assert.Equal(new SourcePosition(4, 3), result.Positions.Find("metadata.name"));
        Assert.Equal(new SourcePosition(8, 7), result.Positions.Find("spec.selector.matchLabels[app]"));
        Assert.Equal(new SourcePosition(15, 9), result.Positions.Find("spec.template.spec.containers[0]"));
        Assert.Equal(new SourcePosition(16, 9), result.Positions.Find("spec.template.spec.containers[0].image"));
        Assert.True(result.Positions.Contains("spec.template.spec.containers[0].name"));
        Assert.False(result.Positions.Contains("spec.template.spec.containers[0].imagePullPolicy"));
    }

    [Fact]
    public void FieldPositions_Find_MissingPathFallsBackToNearestWrittenParent()
    {
        var result = Decode(TestObjects.DaemonSetYaml(), DaemonSet.Parser);

        Assert.Equal(new SourcePosition(15, 9), result.Positions.Find("spec.template.spec.containers[0].imagePullPolicy"));
        Assert.Equal(new SourcePosition(5, 1), result.Positions.Find("spec.updateStrategy.rollingUpdate.maxSurge"));
        Assert.Equal(new SourcePosition(1, 1), result.Positions.Find("status.numberReady"));
    }

    [Fact]
    public void FieldPositions_Empty_FindsNothing()
    {
        Assert.Null(FieldPositions.Empty.Find("spec"));
    }
}
