using System.Diagnostics;
using System.Text.Json.Nodes;
using HostDaemons.Model.Patching;
using HostDaemons.Model.V1;
using static HostDaemons.Model.Tests.Patching.PatchAssert;

namespace HostDaemons.Model.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    private const string Ds = """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","labels":{"app":"agent","tier":"node"}},
         "spec":{"selector":{"matchLabels":{"app":"agent"}},
          "template":{"metadata":{"labels":{"app":"agent"}},
           "spec":{"containers":[
             {"name":"app","image":"agent:1","args":["--a","--b"],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
              "ports":[{"containerPort":8080,"name":"http"}],"volumeMounts":[{"name":"data","mountPath":"/data"}]},
             {"name":"sidecar","image":"proxy:1"}],
            "volumes":[{"name":"data","hostPath":{"path":"/var/lib/agent","type":"DirectoryOrCreate"}},{"name":"tmp","emptyDir":{}}],
            "tolerations":[{"operator":"Exists"}]}}}}
        """;

    private static JsonObject PatchDs(string patch) => StrategicMergePatch.Apply(Json(Ds), Json(patch), DaemonSet.Descriptor);

    private static JsonNode? PodSpec(JsonObject ds) => ds["spec"]!["template"]!["spec"];

    private static PatchException Fails(string original, string patch) =>
        Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(Json(original), Json(patch), DaemonSet.Descriptor));

    [Fact]
    public void Apply_ImageByContainerName_ChangesThatContainerOnly()
    {
        var result = PatchDs("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"agent:2"}]}}}}""");

        var containers = PodSpec(result)!["containers"]!.AsArray();
        Assert.Equal(["app", "sidecar"], containers.Select(c => (string)c!["name"]!));
        Assert.Equal("agent:2", (string)containers[0]!["image"]!);
        Assert.Equal("proxy:1", (string)containers[1]!["image"]!);
        JsonEqual("""[{"name":"A","value":"1"},{"name":"B","value":"2"}]""", containers[0]!["env"]);
        JsonEqual("""["--a","--b"]""", containers[0]!["args"]);
    }

    [Fact]
    public void Apply_NewEnvVar_IsAddedBeforeTheOthersAsKubernetesDoes()
    {
        // Kubernetes puts an item the object lacks first (kubectl apply sends $setElementOrder to place it).
        var result = PatchDs("""{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"C","value":"3"}]}]}}}}""");

        JsonEqual("""[{"name":"C","value":"3"},{"name":"A","value":"1"},{"name":"B","value":"2"}]""", PodSpec(result)!["containers"]![0]!["env"]);
    }

    [Fact]
    public void Apply_ChangedEnvVar_MergesItsFields()
    {
        var result = PatchDs("""{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":null,"valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}]}]}}}}""");

        JsonEqual("""[{"name":"A","value":"1"},{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}]""", PodSpec(result)!["containers"]![0]!["env"]);
    }

    [Fact]
    public void Apply_DeleteDirectiveInAList_RemovesTheItemWithThatKey()
    {
        var result = PatchDs("""{"spec":{"template":{"spec":{"volumes":[{"name":"tmp","$patch":"delete"}]}}}}""");

        JsonEqual("""[{"name":"data","hostPath":{"path":"/var/lib/agent","type":"DirectoryOrCreate"}}]""", PodSpec(result)!["volumes"]);
    }

    [Fact]
    public void Apply_SetElementOrder_OrdersTheMergedList()
    {
        var result = PatchDs("""
            {"spec":{"template":{"spec":{
              "$setElementOrder/containers":[{"name":"sidecar"},{"name":"app"}],
              "containers":[{"name":"sidecar","image":"proxy:2"}]}}}}
            """);

        var containers = PodSpec(result)!["containers"]!.AsArray();
        Assert.Equal(["sidecar", "app"], containers.Select(c => (string)c!["name"]!));
        Assert.Equal("proxy:2", (string)containers[0]!["image"]!);
        Assert.Equal("agent:1", (string)containers[1]!["image"]!);
    }

    [Fact]
    public void Apply_SetElementOrderAlone_ReordersWithoutChangingItems()
    {
        var result = PatchDs("""{"spec":{"template":{"spec":{"$setElementOrder/volumes":[{"name":"tmp"},{"name":"data"}]}}}}""");

        Assert.Equal(["tmp", "data"], PodSpec(result)!["volumes"]!.AsArray().Select(v => (string)v!["name"]!));
    }

    [Fact]
    public void Apply_SetElementOrderContradictingThePatch_FailsWithKubernetesMessage()
    {
        var error = Fails(Ds, """
            {"spec":{"template":{"spec":{
              "$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
              "containers":[{"name":"sidecar","image":"b"},{"name":"app","image":"a"}]}}}}
            """);

        Assert.Equal(PatchErrorKind.InternalError, error.Kind);
        Assert.StartsWith("The order in patch list:\n[map[image:b name:sidecar] map[image:a name:app]]\n doesn't match $setElementOrder list:\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RetainKeys_DropsTheOldSourceOfAVolume()
    {
        var result = PatchDs("""
            {"spec":{"template":{"spec":{"volumes":[{"name":"data","emptyDir":{"medium":"Memory"},"$retainKeys":["emptyDir","name"]}]}}}}
            """);

        JsonEqual("""[{"name":"data","emptyDir":{"medium":"Memory"}},{"name":"tmp","emptyDir":{}}]""", PodSpec(result)!["volumes"]);
    }

    [Fact]
    public void Apply_RetainKeysWithoutAPatchedKey_Fails()
    {
        var error = Fails(Ds, """{"spec":{"template":{"spec":{"volumes":[{"name":"data","emptyDir":{},"$retainKeys":["name"]}]}}}}""");

        Assert.Equal(PatchErrorKind.UnprocessableEntity, error.Kind);
        Assert.Equal("patch content doesn't match retainKeys list", error.Message);
    }

    [Fact]
    public void Apply_RetainKeysNotAList_IsABadRequest()
    {
        var error = Fails(Ds, """{"spec":{"template":{"spec":{"volumes":[{"name":"data","$retainKeys":"name"}]}}}}""");

        Assert.Equal(PatchErrorKind.BadRequest, error.Kind);
        Assert.Equal("invalid patch format of retainKeys", error.Message);
    }

    [Fact]
    public void Apply_AtomicLists_AreReplaced()
    {
        var result = PatchDs("""
            {"spec":{"template":{"spec":{"tolerations":[{"key":"a","operator":"Exists"}],"containers":[{"name":"app","args":["--c"]}]}}}}
            """);

        JsonEqual("""[{"key":"a","operator":"Exists"}]""", PodSpec(result)!["tolerations"]);
        JsonEqual("""["--c"]""", PodSpec(result)!["containers"]![0]!["args"]);
    }

    [Fact]
    public void Apply_NullDeletesAndMapsMerge()
    {
        var result = PatchDs("""{"metadata":{"labels":{"tier":null,"team":"infra"},"annotations":{"gone":null}},"spec":{"template":{"spec":{"tolerations":null}}}}""");

        JsonEqual("""{"app":"agent","team":"infra"}""", result["metadata"]!["labels"]);
        JsonEqual("{}", result["metadata"]!["annotations"]);
        Assert.False(PodSpec(result)!.AsObject().ContainsKey("tolerations"));
    }

    [Fact]
    public void Apply_RolloutUndoPatch_ReplacesTheWholeTemplate()
    {
        // kubectl rollout undo patches a DaemonSet with the revision's data: the template under "$patch": "replace".
        var result = PatchDs("""
            {"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"agent"}},
              "spec":{"containers":[{"name":"app","image":"agent:0"}]}}}}
            """);

        JsonEqual("""{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"app","image":"agent:0"}]}}""", result["spec"]!["template"]);
        JsonEqual("""{"matchLabels":{"app":"agent"}}""", result["spec"]!["selector"]);
    }

    [Fact]
    public void Apply_ReplaceDirectiveInAMap_ReplacesTheMap()
    {
        var result = PatchDs("""{"metadata":{"labels":{"$patch":"replace","only":"this"}}}""");

        JsonEqual("""{"only":"this"}""", result["metadata"]!["labels"]);
    }

    [Fact]
    public void Apply_DeleteDirectiveInAMap_EmptiesIt()
    {
        var result = PatchDs("""{"spec":{"template":{"spec":{"$patch":"delete"}}}}""");

        JsonEqual("{}", PodSpec(result));
    }

    [Fact]
    public void Apply_ReplaceDirectiveInAList_MakesThePatchTheList()
    {
        var result = PatchDs("""{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}}}}""");

        JsonEqual("""[{"name":"only","image":"x"}]""", PodSpec(result)!["containers"]);
    }

    [Fact]
    public void Apply_MergeDirectiveInAList_Fails()
    {
        var error = Fails(Ds, """{"spec":{"template":{"spec":{"containers":[{"$patch":"merge"}]}}}}""");

        Assert.Equal("merging lists cannot yet be specified in the patch", error.Message);
    }

    [Fact]
    public void Apply_UnknownDirective_FailsWithKubernetesMessage()
    {
        var error = Fails(Ds, """{"metadata":{"labels":{"$patch":"explode","a":"b"}}}""");

        Assert.Equal(PatchErrorKind.InternalError, error.Kind);
        Assert.Equal("unknown patch type: explode in map: map[$patch:explode a:b]", error.Message);
    }

    [Fact]
    public void Apply_ItemWithoutMergeKey_FailsWithKubernetesMessage()
    {
        var error = Fails(Ds, """{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}""");

        Assert.Equal("map: map[image:x] does not contain declared merge key: name", error.Message);
    }

    [Fact]
    public void Apply_DeleteDirectiveWithoutMergeKey_Fails()
    {
        var error = Fails(Ds, """{"spec":{"template":{"spec":{"volumes":[{"$patch":"delete"}]}}}}""");

        Assert.Equal("map: map[$patch:delete] does not contain declared merge key: name", error.Message);
    }

    [Fact]
    public void Apply_FieldTheTypeLacks_InBothDocuments_FailsWithKubernetesMessage()
    {
        var error = Fails("""{"spec":{"template":{"spec":{"frobs":{"a":1}}}}}""", """{"spec":{"template":{"spec":{"frobs":{"b":2}}}}}""");

        Assert.Equal(PatchErrorKind.InternalError, error.Kind);
        Assert.Equal("unable to find api field in struct PodSpec for the json field \"frobs\"", error.Message);
    }

    [Fact]
    public void Apply_FieldTheTypeLacks_OnlyInThePatch_IsAddedForValidationToJudge()
    {
        var result = PatchDs("""{"spec":{"frobs":{"a":1,"b":null}}}""");

        JsonEqual("""{"a":1}""", result["spec"]!["frobs"]);
    }

    [Fact]
    public void Apply_ListOfLists_IsUnprocessable()
    {
        var error = Fails(Ds, """{"spec":{"template":{"spec":{"volumes":[["x"]]}}}}""");

        Assert.Equal(PatchErrorKind.UnprocessableEntity, error.Kind);
        Assert.Equal("lists of lists are not supported", error.Message);
    }

    [Fact]
    public void Apply_PortsMergeOnTheirNumber()
    {
        var result = PatchDs("""{"spec":{"template":{"spec":{"containers":[{"name":"app","ports":[{"containerPort":8080,"hostPort":8080},{"containerPort":9090,"name":"metrics"}]}]}}}}""");

        JsonEqual("""[{"containerPort":8080,"name":"http","hostPort":8080},{"containerPort":9090,"name":"metrics"}]""", PodSpec(result)!["containers"]![0]!["ports"]);
    }

    [Fact]
    public void Apply_PatchItemsInPatchOrder_ServerItemsKeepTheirPlace()
    {
        const string original = """{"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}}}}""";

        var reordered = StrategicMergePatch.Apply(Json(original), Json("""{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"1"},{"name":"a","image":"2"}]}}}}"""), DaemonSet.Descriptor);
        var appended = StrategicMergePatch.Apply(Json(original), Json("""{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"1"},{"name":"d"}]}}}}"""), DaemonSet.Descriptor);

        Assert.Equal(["b", "a", "c"], PodSpec(reordered)!["containers"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal(["a", "b", "c", "d"], PodSpec(appended)!["containers"]!.AsArray().Select(c => (string)c!["name"]!));
    }

    [Fact]
    public void Apply_NewListWithDirectives_HasTheDirectivesApplied()
    {
        var result = StrategicMergePatch.Apply(Json("""{"spec":{}}"""), Json("""{"spec":{"template":{"spec":{"volumes":[{"name":"a","emptyDir":{}},{"name":"b","$patch":"delete"}]}}}}"""), DaemonSet.Descriptor);

        JsonEqual("""[{"name":"a","emptyDir":{}}]""", PodSpec(result)!["volumes"]);
    }

    [Fact]
    public void Apply_PrimitiveListWithMergeStrategy_UnionsAndDeletes()
    {
        var merging = new FieldPatchMeta("merge", null, ListType.Set, []);
        var union = StrategicMergePatch.Apply(
            Json("""{"containers":[{"name":"app","args":["a","b"]}]}"""),
            Json("""{"containers":[{"name":"app","args":["c","a"]}]}"""),
            V1.PodSpec.Descriptor,
            field => field.JsonName == "args" ? merging : PatchStrategies.For(field));
        var deleted = StrategicMergePatch.Apply(
            Json("""{"containers":[{"name":"app","args":["a","b","c"]}]}"""),
            Json("""{"containers":[{"name":"app","$deleteFromPrimitiveList/args":["a","c"]}]}"""),
            V1.PodSpec.Descriptor,
            field => field.JsonName == "args" ? merging : PatchStrategies.For(field));

        JsonEqual("""["c","a","b"]""", union["containers"]![0]!["args"]);
        JsonEqual("""["b"]""", deleted["containers"]![0]!["args"]);
    }

    [Fact]
    public void Apply_SetElementOrderOfAPrimitiveList_OrdersTheUnion()
    {
        var merging = new FieldPatchMeta("merge", null, ListType.Set, []);

        var result = StrategicMergePatch.Apply(
            Json("""{"containers":[{"name":"app","args":["a","b","c"]}]}"""),
            Json("""{"containers":[{"name":"app","$setElementOrder/args":["c","a","b","d"],"args":["d"]}]}"""),
            V1.PodSpec.Descriptor,
            field => field.JsonName == "args" ? merging : PatchStrategies.For(field));

        JsonEqual("""["c","a","b","d"]""", result["containers"]![0]!["args"]);
    }

    [Fact]
    public void Apply_DeleteFromPrimitiveListWithoutAField_IsABadRequest()
    {
        var error = Fails(Ds, """{"spec":{"$deleteFromPrimitiveListargs":["a"]}}""");

        Assert.Equal(PatchErrorKind.BadRequest, error.Kind);
        Assert.Equal("invalid patch format of primitive list", error.Message);
    }

    [Fact]
    public void Apply_PatchNotAnObject_IsABadRequestWorkedAsGo()
    {
        var error = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(Json(Ds), Json("[1]"), DaemonSet.Descriptor));

        Assert.Equal(PatchErrorKind.BadRequest, error.Kind);
        Assert.Equal("json: cannot unmarshal array into Go value of type map[string]interface {}", error.Message);
    }

    [Fact]
    public void Apply_NullPatch_ChangesNothing()
    {
        var result = StrategicMergePatch.Apply(Json(Ds), null, DaemonSet.Descriptor);

        JsonEqual(Ds, result);
    }

    [Fact]
    public void Apply_NeverChangesItsInputs()
    {
        var original = Json(Ds);
        var patch = Json("""{"metadata":{"labels":null},"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"app"}],"volumes":[{"name":"tmp","$patch":"delete"}]}}}}""");
        var patchText = patch.ToJsonString();

        StrategicMergePatch.Apply(original, patch, DaemonSet.Descriptor);

        JsonEqual(Ds, original);
        Assert.Equal(patchText, patch.ToJsonString());
    }

    [Fact]
    public void Apply_TooDeepAPatch_IsRefusedBeforeAnyWork()
    {
        JsonNode deep = JsonValue.Create(1);
        for (var i = 0; i < PatchLimits.MaxDepth + 5; i++)
        {
            deep = new JsonObject { ["a"] = deep };
        }

        var error = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(Json(Ds), deep, DaemonSet.Descriptor));

        Assert.Equal(PatchErrorKind.BadRequest, error.Kind);
    }

    [Fact]
    public void Apply_LargeLists_MergeInLinearTime()
    {
        const int count = 20_000;
        var env = new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject { ["name"] = $"V{i}", ["value"] = "x" }).ToArray());
        var original = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["env"] = env }) };
        var patchEnv = new JsonArray(Enumerable.Range(0, count).Reverse().Select(i => (JsonNode)new JsonObject { ["name"] = $"V{i}", ["value"] = "y" }).ToArray());
        var patch = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["env"] = patchEnv }) };

        var watch = Stopwatch.StartNew();
        var result = StrategicMergePatch.Apply(original, patch, V1.PodSpec.Descriptor);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal("V19999", (string)result["containers"]![0]!["env"]![0]!["name"]!);
        Assert.Equal("y", (string)result["containers"]![0]!["env"]![count - 1]!["value"]!);
    }
}
