using System.Text.Json.Nodes;
using Google.Protobuf;
using HostDaemons.ControlPlane.KubeApi.Protobuf;
using Microsoft.AspNetCore.Http;

namespace HostDaemons.ControlPlane.Tests.KubeApi.Protobuf;

/// <summary>Kubernetes' protobuf envelope read into the JSON shape and written from it; malformed bodies named.</summary>
public sealed class KubeProtobufTests
{
    /// <summary>A Secret as Go's generated code writes it: empty strings and an empty creationTimestamp included.</summary>
    private static byte[] GoSecret()
    {
        var meta = Message(o =>
        {
            Str(o, 1, "s");
            Str(o, 2, "");
            Str(o, 3, "default");
            Nested(o, 8, []);
            Nested(o, 11, Message(e => { Str(e, 1, "app"); Str(e, 2, "web"); }));
            o.WriteTag(99, WireFormat.WireType.Varint);
            o.WriteInt64(7);
        });
        var secret = Message(o =>
        {
            Nested(o, 1, meta);
            Nested(o, 2, Message(e => { Str(e, 1, "a"); o.Flush(); e.WriteTag(2, WireFormat.WireType.LengthDelimited); e.WriteBytes(ByteString.CopyFromUtf8("b")); }));
            Str(o, 3, "Opaque");
        });
        return Envelope("v1", "Secret", secret);
    }

    [Fact]
    public void ReadsAGoSecretIntoItsJsonShape()
    {
        var body = GoSecret();

        var json = KubeProtobuf.Decode(body, body.Length);

        Assert.Equal("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default","labels":{"app":"web"}},"data":{"a":"Yg=="},"type":"Opaque"}""",
            json.ToJsonString());
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default","uid":"u1","resourceVersion":"5","generation":1,"creationTimestamp":"2026-12-06T18:42:09Z","labels":{"a":"b"},"annotations":{"x":"y"}},"data":{"a":"Yg=="},"type":"Opaque"}""")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"b"},"binaryData":{"z":"AAE="},"immutable":true}""")]
    [InlineData("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""")]
    [InlineData("""{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},"spec":{"resourceAttributes":{"namespace":"default","verb":"create","group":"apps","resource":"daemonsets"}},"status":{"allowed":true,"reason":"bound"}}""")]
    [InlineData("""{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","metadata":{},"spec":{"namespace":"default"},"status":{"resourceRules":[{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}],"nonResourceRules":[{"verbs":["*"],"nonResourceURLs":["*"]}]}}""")]
    [InlineData("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview","metadata":{},"status":{"userInfo":{"username":"system:admin","groups":["system:masters","system:authenticated"]}}}""")]
    [InlineData("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{"name":"sa"},"spec":{"audiences":["https://kubernetes.default.svc"],"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p","uid":"u"},"expirationSeconds":3600},"status":{"token":"t","expirationTimestamp":"2026-12-06T19:42:09Z"}}""")]
    [InlineData("""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"p","namespace":"default"},"deleteOptions":{"gracePeriodSeconds":30,"preconditions":{"uid":"u"},"propagationPolicy":"Background","dryRun":["All"]}}""")]
    [InlineData("""{"apiVersion":"v1","kind":"Status","metadata":{},"status":"Failure","message":"no","reason":"Invalid","details":{"name":"s","kind":"secrets","causes":[{"reason":"FieldValueInvalid","message":"bad","field":"data"}]},"code":422}""")]
    [InlineData("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"b"},"subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"g"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"}}""")]
    [InlineData("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"ports":[{"name":"a","protocol":"TCP","port":80,"targetPort":8080},{"name":"b","port":81,"targetPort":"http"}],"selector":{"app":"web"},"clusterIP":"None","type":"ClusterIP"},"status":{"loadBalancer":{}}}""")]
    [InlineData("""{"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"pc"},"value":-5,"description":"d"}""")]
    public void WritesAndReadsBackEveryKind(string json)
    {
        var bytes = KubeProtobuf.TryEncode(JsonNode.Parse(json)!.AsObject());

        Assert.NotNull(bytes);
        Assert.Equal("k8s\0"u8.ToArray(), bytes[..4]);
        Assert.Equal(json, KubeProtobuf.Decode(bytes, bytes.Length).ToJsonString());
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"notAField":1}""")]
    [InlineData("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","nope":"x"}}""")]
    [InlineData("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":5}}""")]
    [InlineData("""{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"d"}}""")]
    [InlineData("""{"kind":"APIResourceList"}""")]
    public void AnswersItCannotCarryAreLeftToJson(string json) =>
        Assert.Null(KubeProtobuf.TryEncode(JsonNode.Parse(json)!.AsObject()));

    [Fact]
    public void NullsAreLeftOut()
    {
        var bytes = KubeProtobuf.TryEncode(JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n","creationTimestamp":null}}""")!.AsObject())!;

        Assert.Equal("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}}""", KubeProtobuf.Decode(bytes, bytes.Length).ToJsonString());
    }

    [Fact]
    public void MalformedBodiesAreNamed()
    {
        var good = GoSecret();
        var cases = new Dictionary<string, byte[]>
        {
            ["magic bytes"] = "{\"kind\":\"Secret\"}"u8.ToArray(),
            ["Unknown:"] = good[..(good.Length - 3)],
            ["Secret.metadata: wire type Varint, expected LengthDelimited"] = Envelope("v1", "Secret", Message(o => { o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt32(1); })),
            ["DaemonSet in version \"apps/v1\" is not read as protobuf here"] = Envelope("apps/v1", "DaemonSet", []),
            ["names no kind"] = Envelope("", "", []),
            ["Secret.metadata.creationTimestamp: time"] = Envelope("v1", "Secret", Message(o => Nested(o, 1, Message(m => Nested(m, 8, Message(t => { t.WriteTag(1, WireFormat.WireType.Varint); t.WriteInt64(long.MaxValue); })))))),
        };

        foreach (var (expected, body) in cases)
        {
            var error = Assert.Throws<ProtobufFormatException>(() => KubeProtobuf.Decode(body, body.Length));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DeeplyNestedUnknownGroupsAreRefusedNotOverflowed()
    {
        var groups = new byte[400];
        groups.AsSpan(0, 200).Fill(0x2b); // field 5, start group
        groups.AsSpan(200).Fill(0x2c); // field 5, end group
        byte[] nested = [.. "k8s\0"u8, .. Message(o => Nested(o, 1, groups))];

        Assert.Throws<ProtobufFormatException>(() => KubeProtobuf.Decode(nested, nested.Length));
    }

    [Theory]
    [InlineData("application/vnd.kubernetes.protobuf,application/json", true)]
    [InlineData("application/vnd.kubernetes.protobuf", true)]
    [InlineData("application/json", false)]
    [InlineData("application/json, */*", false)]
    [InlineData("application/json,application/vnd.kubernetes.protobuf", false)]
    [InlineData("application/vnd.kubernetes.protobuf;q=0.5,application/json", false)]
    [InlineData("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json", false)]
    [InlineData("", false)]
    public void PrefersProtobufOnlyWhenTheAcceptHeaderDoes(string accept, bool expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Accept = accept;

        Assert.Equal(expected, KubeProtobuf.Prefers(http.Request));
    }

    private static byte[] Envelope(string apiVersion, string kind, byte[] raw) => [.. "k8s\0"u8, .. Message(o =>
    {
        Nested(o, 1, Message(t => { Str(t, 1, apiVersion); Str(t, 2, kind); }));
        Nested(o, 2, raw);
        Str(o, 3, "");
        Str(o, 4, "");
    })];

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }

    private static void Str(CodedOutputStream output, int number, string value)
    {
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    private static void Nested(CodedOutputStream output, int number, byte[] value)
    {
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(value));
    }
}
