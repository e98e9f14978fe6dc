using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using HostDaemons.ControlPlane.KubeApi.OpenApi;
using HostDaemons.Model.Objects;
using static HostDaemons.ControlPlane.Tests.KubeApi.OpenApi.OpenApiTestDocuments;

namespace HostDaemons.ControlPlane.Tests.KubeApi.OpenApi;

/// <summary>The schemas describe HostDaemons' messages field by field, named and typed as Kubernetes' definitions are.</summary>
public sealed class OpenApiSchemaTests
{
    private static readonly OpenApiDocuments s_documents = Create();
    private static readonly JsonObject s_apps = Parse(s_documents, "apis/apps/v1");
    private static readonly JsonObject s_core = Parse(s_documents, "api/v1");

    [Fact]
    public void DaemonSetSchemaHasEveryFieldOfTheMessageWithItsType()
    {
        AssertDescribesMessage(s_apps, Model.V1.DaemonSet.Descriptor, "io.k8s.api.apps.v1.DaemonSet");
        var spec = Schema(s_apps, "io.k8s.api.apps.v1.DaemonSetSpec");
        Assert.Equal(["minReadySeconds", "revisionHistoryLimit", "selector", "template", "updateStrategy"], spec["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal("integer", (string?)spec["properties"]!["minReadySeconds"]!["type"]);
        Assert.Equal("int32", (string?)spec["properties"]!["minReadySeconds"]!["format"]);
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec", (string?)spec["properties"]!["template"]!["allOf"]![0]!["$ref"]);
        Assert.Equal(["selector", "template"], spec["required"]!.AsArray().Select(r => (string?)r));
    }

    [Fact]
    public void EveryMessageSchemaOfEveryDocumentHasEveryFieldOfItsMessage()
    {
        foreach (var kind in ResourceKinds.All)
        {
            var document = Parse(s_documents, kind.Group.Length == 0 ? "api/v1" : "apis/" + kind.ApiVersion);
            foreach (var message in Reachable(kind.Descriptor))
            {
                AssertDescribesMessage(document, message, SchemaNames.For(message));
            }
        }
    }

    [Fact]
    public void EverySchemaHasAKubernetesName()
    {
        foreach (var path in s_documents.GroupVersionPaths)
        {
            Assert.All(Schemas(Parse(s_documents, path)), s => Assert.Matches(@"^io\.k8s\.(api\.[a-z]+\.v1|apimachinery\.pkg\.[a-z0-9.]+)\.[A-Z]\w+$", s.Key));
        }
    }

    [Fact]
    public void KindsCarryTheirGroupVersionKind()
    {
        var gvks = Schema(s_apps, "io.k8s.api.apps.v1.DaemonSet")["x-kubernetes-group-version-kind"]!.AsArray();
        var gvk = Assert.Single(gvks)!.AsObject();
        Assert.Equal(("apps", "v1", "DaemonSet"), ((string?)gvk["group"], (string?)gvk["version"], (string?)gvk["kind"]));

        var pod = Assert.Single(Schema(s_core, "io.k8s.api.core.v1.Pod")["x-kubernetes-group-version-kind"]!.AsArray())!;
        Assert.Equal("", (string?)pod["group"]);
        Assert.NotNull(SchemaWithGvk(s_apps, "apps", "v1", "DaemonSetList"));
        Assert.Null(Schema(s_apps, "io.k8s.api.apps.v1.DaemonSetSpec")["x-kubernetes-group-version-kind"]);
    }

    [Fact]
    public void KubernetesValueTypesHaveKubernetesShapes()
    {
        var time = Schema(s_core, SchemaNames.Time);
        Assert.Equal(("string", "date-time"), ((string?)time["type"], (string?)time["format"]));
        var intOrString = Schema(s_apps, SchemaNames.IntOrString);
        Assert.True((bool)intOrString["x-kubernetes-int-or-string"]!);
        Assert.Equal(["integer", "string"], intOrString["oneOf"]!.AsArray().Select(s => (string?)s!["type"]));
        Assert.Null(intOrString["type"]); // kubectl explain then prints <IntOrString>, as for Kubernetes
        Assert.Equal(
            "#/components/schemas/" + SchemaNames.IntOrString,
            (string?)Schema(s_apps, "io.k8s.api.apps.v1.RollingUpdateDaemonSet")["properties"]!["maxUnavailable"]!["allOf"]![0]!["$ref"]);

        var limits = Schema(s_core, "io.k8s.api.core.v1.ResourceRequirements")["properties"]!["limits"]!;
        Assert.Equal("object", (string?)limits["type"]);
        Assert.Equal("#/components/schemas/" + SchemaNames.Quantity, (string?)limits["additionalProperties"]!["$ref"]);
        Assert.Equal("#/components/schemas/" + SchemaNames.Time, (string?)Schema(s_core, SchemaNames.ObjectMeta)["properties"]!["creationTimestamp"]!["allOf"]![0]!["$ref"]);

        var labels = Schema(s_core, SchemaNames.ObjectMeta)["properties"]!["labels"]!;
        Assert.Equal("string", (string?)labels["additionalProperties"]!["type"]);
        var secretData = Schema(s_core, "io.k8s.api.core.v1.Secret")["properties"]!["data"]!["additionalProperties"]!;
        Assert.Equal(("string", "byte"), ((string?)secretData["type"], (string?)secretData["format"]));
        Assert.NotNull(Schema(s_core, "io.k8s.api.core.v1.ObjectReference")); // HostDaemons' EventObjectReference
        Assert.Equal("boolean", (string?)Schema(s_core, "io.k8s.api.core.v1.PodSpec")["properties"]!["hostPID"]!["type"]);
    }

    [Fact]
    public void ListsCarryListTypesAndThePatchMetadataOfTheLookup()
    {
        var podSpec = Schema(s_core, "io.k8s.api.core.v1.PodSpec")["properties"]!;
        var containers = podSpec["containers"]!;
        Assert.Equal("array", (string?)containers["type"]);
        Assert.Equal("merge", (string?)containers["x-kubernetes-patch-strategy"]);
        Assert.Equal("name", (string?)containers["x-kubernetes-patch-merge-key"]);
        Assert.Equal("map", (string?)containers["x-kubernetes-list-type"]);
        Assert.Equal(["name"], containers["x-kubernetes-list-map-keys"]!.AsArray().Select(k => (string?)k));
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.Container", (string?)containers["items"]!["allOf"]![0]!["$ref"]);
        Assert.Equal("merge,retainKeys", (string?)podSpec["volumes"]!["x-kubernetes-patch-strategy"]);

        var tolerations = podSpec["tolerations"]!;
        Assert.Equal("atomic", (string?)tolerations["x-kubernetes-list-type"]);
        Assert.Null(tolerations["x-kubernetes-list-map-keys"]);
        Assert.Null(tolerations["x-kubernetes-patch-strategy"]);

        var container = Schema(s_core, "io.k8s.api.core.v1.Container")["properties"]!;
        Assert.Equal(["containerPort", "protocol"], container["ports"]!["x-kubernetes-list-map-keys"]!.AsArray().Select(k => (string?)k));
        Assert.Equal("containerPort", (string?)container["ports"]!["x-kubernetes-patch-merge-key"]);
        var args = container["args"]!.AsObject();
        Assert.Equal("array", (string?)args["type"]);
        Assert.DoesNotContain(args, p => p.Key.StartsWith("x-kubernetes-", StringComparison.Ordinal)); // not in the table: nothing claimed
    }

    [Fact]
    public void WithoutPatchMetadataNoPatchOrListExtensionIsWritten()
    {
        var documents = new OpenApiDocuments(_ => null);
        var json = string.Concat(Schemas(Parse(documents, "api/v1")).Where(s => s.Key.StartsWith("io.k8s.api.", StringComparison.Ordinal)).Select(s => s.Value!.ToJsonString()));
        Assert.DoesNotContain("x-kubernetes-patch-strategy", json, StringComparison.Ordinal);
        Assert.DoesNotContain("x-kubernetes-patch-merge-key", json, StringComparison.Ordinal);
        Assert.DoesNotContain("x-kubernetes-list-type", json, StringComparison.Ordinal);
    }

    [Fact]
    public void DescriptionsComeFromTheProtoCommentsAndHostDaemonsOwnWords()
    {
        var podSpec = Schema(s_core, "io.k8s.api.core.v1.PodSpec")["properties"]!;
        Assert.StartsWith("Deprecated alias of serviceAccountName", (string?)podSpec["serviceAccount"]!["description"], StringComparison.Ordinal);
        Assert.StartsWith("Credentials and other small data", (string?)Schema(s_core, "io.k8s.api.core.v1.Secret")["description"], StringComparison.Ordinal);
        Assert.StartsWith("Runs one pod", (string?)Schema(s_apps, "io.k8s.api.apps.v1.DaemonSet")["description"], StringComparison.Ordinal);
        Assert.Equal(Descriptions.Spec, (string?)Schema(s_apps, "io.k8s.api.apps.v1.DaemonSet")["properties"]!["spec"]!["description"]);
        var affinity = (string?)Schema(s_core, "io.k8s.api.core.v1.Affinity")["description"];
        Assert.StartsWith("Where the pod may run. For daemon pods", affinity, StringComparison.Ordinal);
        var podSpecAffinity = (string?)Schema(s_core, "io.k8s.api.core.v1.PodSpec")["properties"]!["affinity"]!["description"];
        Assert.Equal("Rules on the nodes (and the pods on them) where the pod may run.", podSpecAffinity);
        var nodeAffinity = (string?)Schema(s_core, "io.k8s.api.core.v1.Affinity")["properties"]!["nodeAffinity"]!["description"];
        Assert.Equal("Rules on the labels and fields of the node.", nodeAffinity); // the description of the message it holds
        Assert.Equal("<[]Volume>", "<[]" + ((string?)Schema(s_core, "io.k8s.api.core.v1.PodSpec")["properties"]!["volumes"]!["items"]!["allOf"]![0]!["$ref"])!.Split('.')[^1] + ">");
        Assert.StartsWith("None, HostToContainer", (string?)Schema(s_core, "io.k8s.api.core.v1.VolumeMount")["properties"]!["mountPropagation"]!["description"], StringComparison.Ordinal);
    }

    [Fact]
    public void ProtoCommentsAreAttachedToTheDeclarationThatFollowsThem()
    {
        var comments = ProtoComments.Parse([
            """
            // File header, not attached.
            syntax = "proto3";

            package demo.v1;

            // A thing.
            // Second line.
            message Thing {
              // The name.
              string name = 1;

              repeated string plain = 2;
              oneof value {
                // In a oneof.
                int32 number = 3;
              }
              // A map.
              map<string, string> labels = 4;
              message Inner {
                // Nested field.
                optional bool on = 1;
              }
              // After the nested message.
              string tail = 5;
            }
            """,
        ]);

        Assert.Equal("A thing. Second line.", comments.For("demo.v1.Thing"));
        Assert.Equal("The name.", comments.For("demo.v1.Thing.name"));
        Assert.Null(comments.For("demo.v1.Thing.plain"));
        Assert.Equal("In a oneof.", comments.For("demo.v1.Thing.number"));
        Assert.Equal("A map.", comments.For("demo.v1.Thing.labels"));
        Assert.Equal("Nested field.", comments.For("demo.v1.Thing.Inner.on"));
        Assert.Equal("After the nested message.", comments.For("demo.v1.Thing.tail"));
    }

    [Fact]
    public void OwnDescriptionsAreReadByMessageAndJsonNameAndComeBeforeTheProtoComment()
    {
        var comments = ProtoComments.Parse([
            """
            package hostdaemons.v1;
            // From the proto file.
            message PodSpec {
              // Field comment.
              string node_name = 4;
            }
            """,
        ]);
        var descriptions = SchemaDescriptions.Parse(
            """
            # a comment line
            PodSpec: Own words: with a colon.
            PodSpec.hostNetwork: Only own words.

            """,
            comments);

        var podSpec = Model.V1.PodSpec.Descriptor;
        Assert.Equal("Own words: with a colon. From the proto file.", descriptions.For(podSpec));
        Assert.Equal("Only own words.", descriptions.For(podSpec.FindFieldByName("host_network")));
        Assert.Equal("Field comment.", descriptions.For(podSpec.FindFieldByName("node_name")));
        Assert.Null(descriptions.For(podSpec.FindFieldByName("host_pid")));
    }

    [Fact]
    public void EveryOwnDescriptionNamesAMessageOrFieldOfTheStoredKinds()
    {
        var messages = ResourceKinds.All.SelectMany(k => Reachable(k.Descriptor)).DistinctBy(m => m.FullName).ToDictionary(m => m.Name, StringComparer.Ordinal);
        Assert.NotEmpty(SchemaDescriptions.Embedded.OwnKeys);
        foreach (var key in SchemaDescriptions.Embedded.OwnKeys)
        {
            var parts = key.Split('.');
            Assert.True(messages.TryGetValue(parts[0], out var message), $"descriptions.txt: no message {parts[0]}");
            Assert.True(parts.Length == 1 || message.Fields.InDeclarationOrder().Any(f => f.JsonName == parts[1]), $"descriptions.txt: no field {key}");
        }
    }

    private static void AssertDescribesMessage(JsonObject document, MessageDescriptor message, string schemaName)
    {
        var schema = Schema(document, schemaName);
        if (schemaName is SchemaNames.Time or SchemaNames.IntOrString)
        {
            return;
        }

        var properties = schema["properties"]!.AsObject();
        Assert.Equal(
            message.Fields.InDeclarationOrder().Select(f => f.JsonName).Order(StringComparer.Ordinal),
            properties.Select(p => p.Key));
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            var property = properties[field.JsonName]!.AsObject();
            var expected = field.IsMap ? "object" : field.IsRepeated ? "array" : field.FieldType switch
            {
                FieldType.String or FieldType.Bytes => "string",
                FieldType.Bool => "boolean",
                FieldType.Int32 or FieldType.Int64 => "integer",
                _ => null,
            };
            var actual = (string?)property["type"] ?? (string?)Resolve(document, property)["type"];
            if (expected is not null && !(expected == "string" && property["allOf"] is not null))
            {
                Assert.True(expected == actual, $"{field.FullName}: {expected} expected, {actual} found");
            }
        }
    }

    private static IEnumerable<MessageDescriptor> Reachable(MessageDescriptor root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<MessageDescriptor>([root]);
        while (queue.TryDequeue(out var message))
        {
            if (!seen.Add(message.FullName))
            {
                continue;
            }

            yield return message;
            foreach (var field in message.Fields.InDeclarationOrder().Where(f => f.FieldType == FieldType.Message))
            {
                var target = field.IsMap ? field.MessageType.FindFieldByNumber(2) : field;
                if (target.FieldType == FieldType.Message)
                {
                    queue.Enqueue(target.MessageType);
                }
            }
        }
    }
}
