using System.Text.Json.Nodes;
using HostDaemons.Model.Patching;
using HostDaemons.Model.V1;
using ManagedFieldsEntry = HostDaemons.Model.Patching.ManagedFieldsEntry;
using static HostDaemons.Model.Tests.Patching.PatchAssert;

namespace HostDaemons.Model.Tests.Patching;

public sealed class ServerSideApplyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);

    private static JsonObject Config(string image = "agent:1", string env = """[{"name":"A","value":"1"}]""") => Json($$$$$"""
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","labels":{"app":"agent"}},
         "spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"metadata":{"labels":{"app":"agent"}},
          "spec":{"containers":[{"name":"app","image":"{{{{{image}}}}}","env":{{{{{env}}}}},"ports":[{"containerPort":8080,"protocol":"TCP"}]}]}}}}
        """).AsObject();

    private static ApplyResult Apply(JsonObject live, JsonObject config, IReadOnlyList<ManagedFieldsEntry> managed, string manager = "kubectl", bool force = false, DateTimeOffset? now = null) =>
        ServerSideApply.Apply(live, config, DaemonSet.Descriptor, managed, manager, "apps/v1", force, now ?? T0);

    private static JsonNode? Container(JsonObject ds) => ds["spec"]!["template"]!["spec"]!["containers"]![0];

    [Fact]
    public void FieldsOf_AnAppliedDaemonSet_HasKubernetesFieldsV1Shape()
    {
        var fields = ServerSideApply.FieldsOf(Config(), DaemonSet.Descriptor);

        JsonEqual("""
            {"f:metadata":{"f:labels":{"f:app":{}}},
             "f:spec":{"f:selector":{},
              "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
               "f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:env":{"k:{\"name\":\"A\"}":{".":{},"f:name":{},"f:value":{}}},"f:image":{},"f:name":{},
                 "f:ports":{"k:{\"containerPort\":8080,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}}}}}}}}}
            """, fields.ToJson());
    }

    [Fact]
    public void FieldSet_RoundTripsThroughFieldsV1()
    {
        var fields = ServerSideApply.FieldsOf(Config(), DaemonSet.Descriptor);

        var reread = FieldSet.Parse(fields.ToJson());

        Assert.Equal(fields.ToJson().ToJsonString(), reread.ToJson().ToJsonString());
        Assert.True(reread.Contains(["f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"app\"}", "f:image"]));
        Assert.True(reread.Contains(["f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"app\"}"]));
        Assert.False(reread.Contains(["f:spec", "f:template"]));
    }

    [Fact]
    public void Apply_OnANewObject_CreatesItAndOneApplyEntry()
    {
        var result = Apply([], Config(), []);

        JsonEqual(Config().ToJsonString(), result.Object);
        var entry = Assert.Single(result.ManagedFields);
        Assert.Equal(("kubectl", "Apply", "apps/v1", T0), (entry.Manager, entry.Operation, entry.ApiVersion, entry.Time!.Value));
        JsonEqual("""{"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"2026-01-02T03:04:05Z","fieldsType":"FieldsV1"}""",
            WithoutFields(entry.ToJson()));
    }

    [Fact]
    public void Apply_Again_KeepsTheEntryTimeWhenNothingChanged()
    {
        var first = Apply([], Config(), []);

        var second = Apply(first.Object, Config(), first.ManagedFields, now: T1);

        Assert.Equal(T0, Assert.Single(second.ManagedFields).Time);
        JsonEqual(first.Object.ToJsonString(), second.Object);
    }

    [Fact]
    public void Apply_WithoutAFieldAppliedBefore_RemovesIt()
    {
        var first = Apply([], Config(env: """[{"name":"A","value":"1"},{"name":"B","value":"2"}]"""), []);

        var second = Apply(first.Object, Config(env: """[{"name":"A","value":"1"}]"""), first.ManagedFields, now: T1);

        JsonEqual("""[{"name":"A","value":"1"}]""", Container(second.Object)!["env"]);
        Assert.Equal(T1, Assert.Single(second.ManagedFields).Time);
    }

    [Fact]
    public void Apply_WithoutAFieldSomeoneElseAlsoOwns_KeepsIt()
    {
        var first = Apply([], Config(), []);
        var edited = (JsonObject)first.Object.DeepClone();
        edited["metadata"]!["labels"]!["team"] = "infra";
        var managed = ServerSideApply.Update(first.Object, edited, DaemonSet.Descriptor, first.ManagedFields, "kubectl-label", "v1", T1);
        var config = Config();
        config["metadata"]!["labels"]!["team"] = "infra";
        var applied = Apply(edited, config, managed, now: T1);
        var withoutTeam = Config();

        var result = Apply(applied.Object, withoutTeam, applied.ManagedFields, now: T1);

        Assert.Equal("infra", (string)result.Object["metadata"]!["labels"]!["team"]!);
    }

    [Fact]
    public void Apply_ChangingAFieldAnUpdaterOwns_ConflictsWithKubernetesMessage()
    {
        var created = Config();
        var managed = ServerSideApply.Update(null, created, DaemonSet.Descriptor, [], "kubectl-client-side-apply", "apps/v1", T0);

        var error = Assert.Throws<ApplyConflictException>(() => Apply(created, Config(image: "agent:2"), managed));

        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.template.spec.containers[name=\"app\"].image", error.Message);
        var conflict = Assert.Single(error.Conflicts);
        Assert.Equal("conflict with \"kubectl-client-side-apply\" using apps/v1", conflict.Message);
        Assert.Equal(".spec.template.spec.containers[name=\"app\"].image", conflict.Field);
    }

    [Fact]
    public void Apply_ConflictsWithSeveralFields_ListsThemByManager()
    {
        var created = Config();
        var managed = ServerSideApply.Update(null, created, DaemonSet.Descriptor, [], "kubectl-client-side-apply", "apps/v1", T0);

        var error = Assert.Throws<ApplyConflictException>(() => Apply(created, Config(image: "agent:2", env: """[{"name":"A","value":"2"}]"""), managed));

        Assert.Equal(
            "Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n"
            + "- .spec.template.spec.containers[name=\"app\"].env[name=\"A\"].value\n"
            + "- .spec.template.spec.containers[name=\"app\"].image",
            error.Message);
    }

    [Fact]
    public void Apply_Forced_TakesOwnershipFromTheUpdater()
    {
        var created = Config();
        var managed = ServerSideApply.Update(null, created, DaemonSet.Descriptor, [], "kubectl-client-side-apply", "apps/v1", T0);

        var result = Apply(created, Config(image: "agent:2"), managed, force: true);

        Assert.Equal("agent:2", (string)Container(result.Object)!["image"]!);
        var updater = result.ManagedFields.Single(e => e.Operation == "Update");
        var applier = result.ManagedFields.Single(e => e.Operation == "Apply");
        var image = new[] { "f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"app\"}", "f:image" };
        Assert.False(updater.Fields.Contains(image));
        Assert.True(applier.Fields.Contains(image));
        Assert.Equal("Apply", result.ManagedFields[0].Operation);
    }

    [Fact]
    public void Apply_TheSameValueAnotherManagerSet_SharesOwnership()
    {
        var created = Config();
        var managed = ServerSideApply.Update(null, created, DaemonSet.Descriptor, [], "kubectl-client-side-apply", "apps/v1", T0);

        var result = Apply(created, Config(), managed);

        var image = new[] { "f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"app\"}", "f:image" };
        Assert.All(result.ManagedFields, e => Assert.True(e.Fields.Contains(image)));
    }

    [Fact]
    public void Update_ChangingAnAppliedField_MovesItToTheUpdater()
    {
        var applied = Apply([], Config(), []);
        var edited = (JsonObject)applied.Object.DeepClone();
        Container(edited)!["image"] = "agent:9";

        var managed = ServerSideApply.Update(applied.Object, edited, DaemonSet.Descriptor, applied.ManagedFields, "kubectl-edit", "apps/v1", T1);

        var image = new[] { "f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"app\"}", "f:image" };
        Assert.True(managed.Single(e => e.Manager == "kubectl-edit").Fields.Contains(image));
        Assert.False(managed.Single(e => e.Manager == "kubectl").Fields.Contains(image));
        Assert.Equal(T1, managed.Single(e => e.Manager == "kubectl-edit").Time);
    }

    [Fact]
    public void Apply_MergesListsInStructuredMergeDiffOrder()
    {
        var live = Json("""{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}}}}""").AsObject();
        var config = Json("""{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"3"},{"name":"c","image":"4"}]}}}}""").AsObject();

        var result = Apply(live, config, []);

        JsonEqual("""[{"name":"a","image":"1"},{"name":"b","image":"3"},{"name":"c","image":"4"}]""", result.Object["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void ServerSetMetadataAndStatus_AreNobodys()
    {
        var config = Config();
        config["metadata"]!["namespace"] = "default";
        config["status"] = new JsonObject { ["numberReady"] = 1 };

        var fields = ServerSideApply.FieldsOf(config, DaemonSet.Descriptor).ToJson();

        Assert.False(fields.ContainsKey("f:status"));
        Assert.False(fields.ContainsKey("f:apiVersion"));
        Assert.False(fields["f:metadata"]!.AsObject().ContainsKey("f:namespace"));
        Assert.False(fields["f:metadata"]!.AsObject().ContainsKey("f:name"));
    }

    [Fact]
    public void Update_OfTheStatusSubresource_OwnsOnlyStatus()
    {
        var live = Config();
        var updated = (JsonObject)live.DeepClone();
        updated["status"] = new JsonObject { ["numberReady"] = 3 };
        updated["metadata"]!["labels"]!["x"] = "y";

        var managed = ServerSideApply.Update(live, updated, DaemonSet.Descriptor, [], "hostdaemons-controller", "apps/v1", T0, "status");

        var entry = Assert.Single(managed);
        Assert.Equal("status", entry.Subresource);
        JsonEqual("""{"f:status":{"f:numberReady":{}}}""", entry.Fields.ToJson());
        Assert.Equal("status", (string)entry.ToJson()["subresource"]!);
    }

    [Fact]
    public void ManagedFields_RoundTripThroughJson()
    {
        var result = Apply([], Config(), []);
        var json = ManagedFieldsEntry.ToJson(result.ManagedFields);

        var reread = ManagedFieldsEntry.Parse(json);

        Assert.Equal(json.ToJsonString(), ManagedFieldsEntry.ToJson(reread).ToJsonString());
    }

    [Fact]
    public void Apply_WithoutAContainer_RemovesItUnlessSomeoneOwnsPartOfIt()
    {
        var two = Config();
        ((JsonArray)two["spec"]!["template"]!["spec"]!["containers"]!).Add(Json("""{"name":"side","image":"proxy:1"}"""));
        var first = Apply([], two, []);
        var edited = (JsonObject)first.Object.DeepClone();
        edited["spec"]!["template"]!["spec"]!["containers"]![1]!["imagePullPolicy"] = "Always";
        var managed = ServerSideApply.Update(first.Object, edited, DaemonSet.Descriptor, first.ManagedFields, "kubectl-edit", "apps/v1", T1);

        var dropped = Apply(first.Object, Config(), first.ManagedFields, now: T1);
        var kept = Apply(edited, Config(), managed, now: T1);

        Assert.Single(dropped.Object["spec"]!["template"]!["spec"]!["containers"]!.AsArray());
        JsonEqual("""{"name":"side","imagePullPolicy":"Always"}""", kept.Object["spec"]!["template"]!["spec"]!["containers"]![1]);
    }

    [Fact]
    public void Apply_ChangingAFieldAnotherApplierOwns_NamesItWithoutVersion()
    {
        var first = Apply([], Config(), [], manager: "helm");

        var error = Assert.Throws<ApplyConflictException>(() => Apply(first.Object, Config(image: "agent:3"), first.ManagedFields));

        Assert.Equal("Apply failed with 1 conflict: conflict with \"helm\": .spec.template.spec.containers[name=\"app\"].image", error.Message);
    }

    private static JsonObject WithoutFields(JsonObject entry)
    {
        entry.Remove("fieldsV1");
        return entry;
    }
}
