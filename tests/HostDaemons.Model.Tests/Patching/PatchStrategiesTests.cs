using Google.Protobuf.Reflection;
using HostDaemons.Model.Patching;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Patching;

public sealed class PatchStrategiesTests
{
    /// <summary>Every message a stored kind reaches, from the kinds of <see cref="ApiObject"/>.</summary>
    private static IEnumerable<MessageDescriptor> StoredMessages()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<MessageDescriptor>(ApiObject.Descriptor.Fields.InDeclarationOrder().Select(f => f.MessageType));
        while (pending.Count > 0)
        {
            var message = pending.Pop();
            if (!seen.Add(message.FullName))
            {
                continue;
            }

            yield return message;
            foreach (var field in message.Fields.InDeclarationOrder().Where(f => f.FieldType == FieldType.Message && !f.IsMap))
            {
                pending.Push(field.MessageType);
            }
        }
    }

    [Fact]
    public void EveryListFieldOfEveryStoredKind_IsClassified()
    {
        var unclassified = StoredMessages()
            .SelectMany(m => m.Fields.InDeclarationOrder())
            .Where(f => f.IsRepeated && !f.IsMap && PatchStrategies.For(f) is null)
            .Select(f => $"{f.ContainingType.FullName}.{f.JsonName}")
            .ToList();

        Assert.True(unclassified.Count == 0, "decide the patch strategy and list type of: " + string.Join(", ", unclassified));
    }

    [Fact]
    public void EveryEntry_NamesAListFieldAndKeysItsItemsHave()
    {
        var fields = StoredMessages().SelectMany(m => m.Fields.InDeclarationOrder())
            .ToDictionary(f => $"{f.ContainingType.FullName}.{f.JsonName}", StringComparer.Ordinal);
        foreach (var (name, meta) in PatchStrategies.All)
        {
            Assert.True(fields.TryGetValue(name, out var field), $"{name} is not a field of a stored kind");
            Assert.True(field.IsRepeated && !field.IsMap, $"{name} is not a list");
            var keys = meta.ListMapKeys.Concat(meta.MergeKey is null ? [] : [meta.MergeKey]);
            foreach (var key in keys)
            {
                Assert.True(field.FieldType == FieldType.Message && field.MessageType.Fields.InDeclarationOrder().Any(f => f.JsonName == key),
                    $"{name}: its items have no field {key}");
            }

            Assert.Equal(meta.ListType == ListType.Map, meta.ListMapKeys.Count > 0);
            Assert.True(!meta.Merges || meta.MergeKey is not null || field.FieldType != FieldType.Message, $"{name} merges objects without a merge key");
        }
    }

    [Theory]
    [InlineData("PodSpec", "containers", "merge", "name", ListType.Map)]
    [InlineData("PodSpec", "initContainers", "merge", "name", ListType.Map)]
    [InlineData("PodSpec", "volumes", "merge,retainKeys", "name", ListType.Map)]
    [InlineData("PodSpec", "imagePullSecrets", "merge", "name", ListType.Map)]
    [InlineData("PodSpec", "hostAliases", "merge", "ip", ListType.Map)]
    [InlineData("PodSpec", "tolerations", null, null, ListType.Atomic)]
    [InlineData("Container", "env", "merge", "name", ListType.Map)]
    [InlineData("Container", "volumeMounts", "merge", "mountPath", ListType.Map)]
    [InlineData("Container", "ports", "merge", "containerPort", ListType.Map)]
    [InlineData("Container", "args", null, null, ListType.Atomic)]
    [InlineData("Container", "command", null, null, ListType.Atomic)]
    [InlineData("ObjectMeta", "ownerReferences", "merge", "uid", ListType.Map)]
    [InlineData("PodStatus", "conditions", "merge", "type", ListType.Map)]
    [InlineData("NodeStatus", "addresses", "merge", "type", ListType.Atomic)]
    [InlineData("NodeSpec", "taints", null, null, ListType.Atomic)]
    [InlineData("ServiceSpec", "ports", "merge", "port", ListType.Map)]
    [InlineData("ClusterRole", "rules", null, null, ListType.Atomic)]
    [InlineData("Endpoint", "addresses", null, null, ListType.Set)]
    public void For_KubernetesTypes_AnswersTheirTags(string message, string field, string? strategy, string? mergeKey, ListType listType)
    {
        var meta = PatchStrategies.For("hostdaemons.v1." + message, field);

        Assert.NotNull(meta);
        Assert.Equal(strategy, meta.Strategy);
        Assert.Equal(mergeKey, meta.MergeKey);
        Assert.Equal(listType, meta.ListType);
    }

    [Fact]
    public void For_FieldDescriptor_KnowsListsAndNotMaps()
    {
        var containerPorts = PatchStrategies.For(Container.Descriptor.FindFieldByName("ports"))!;
        var labels = PatchStrategies.For(ObjectMeta.Descriptor.FindFieldByName("labels"));
        var image = PatchStrategies.For(Container.Descriptor.FindFieldByName("image"));

        Assert.Equal(["containerPort", "protocol"], containerPorts.ListMapKeys);
        Assert.True(containerPorts.Merges);
        Assert.False(containerPorts.RetainsKeys);
        Assert.True(PatchStrategies.For(PodSpec.Descriptor.FindFieldByName("volumes"))!.RetainsKeys);
        Assert.Null(labels);
        Assert.Null(image);
    }

    [Fact]
    public void IsAtomicStruct_NamesOnlyStoredMessages()
    {
        var atomic = StoredMessages().Where(PatchStrategies.IsAtomicStruct).Select(m => m.Name).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            ["ConfigMapKeySelector", "EventObjectReference", "LabelSelector", "LocalObjectReference", "NodeSelector", "ObjectFieldSelector",
             "OwnerReference", "ResourceFieldSelector", "RoleRef", "SecretKeySelector"],
            atomic);
        Assert.False(PatchStrategies.IsAtomicStruct(PodSpec.Descriptor));
    }
}
