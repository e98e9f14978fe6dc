using HostDaemons.Model.Hashing;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Hashing;

public sealed class ObjectHashTests
{
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private static PodTemplateSpec Template(params (string Key, string Value)[] labels)
    {
        var template = new PodTemplateSpec
        {
            Metadata = new ObjectMeta(),
            Spec = new PodSpec { Containers = { new Container { Name = "main", Image = "busybox" } } },
        };
        foreach (var (key, value) in labels)
        {
            template.Metadata.Labels[key] = value;
            template.Spec.NodeSelector[key] = value;
        }

        return template;
    }

    [Fact]
    public void Compute_MapsFilledInDifferentOrders_SameHash()
    {
        var first = Template(("a", "1"), ("b", "2"), ("c", "3"));
        var second = Template(("c", "3"), ("a", "1"), ("b", "2"));

        Assert.Equal(ObjectHash.Compute(first), ObjectHash.Compute(second));
    }

    [Fact]
    public void Compute_SameObjectTwice_IsStable()
    {
        var template = Template(("app", "x"));

        Assert.Equal(ObjectHash.Compute(template), ObjectHash.Compute(template.Clone()));
    }

    [Fact]
    public void Compute_DifferentImage_DifferentHash()
    {
        var first = Template(("app", "x"));
        var second = Template(("app", "x"));
        second.Spec.Containers[0].Image = "busybox:1.36";

        Assert.NotEqual(ObjectHash.Compute(first), ObjectHash.Compute(second));
    }

    [Fact]
    public void Compute_DifferentLabelValue_DifferentHash()
    {
        Assert.NotEqual(ObjectHash.Compute(Template(("app", "x"))), ObjectHash.Compute(Template(("app", "y"))));
    }

    [Fact]
    public void Compute_EmptyFieldsLeftOutOrSetToDefault_SameHash()
    {
        var first = Template(("app", "x"));
        var second = Template(("app", "x"));
        second.Spec.NodeName = "";
        second.Spec.HostNetwork = false;

        Assert.Equal(ObjectHash.Compute(first), ObjectHash.Compute(second));
    }

    [Fact]
    public void Compute_Message_IsTenCharactersFromTheSafeAlphabet()
    {
        var hash = ObjectHash.Compute(Template(("app", "x")));

        Assert.Equal(10, hash.Length);
        Assert.All(hash, c => Assert.Contains(c, SafeAlphabet));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"a\":1}")]
    public void Compute_String_IsTenSafeCharactersAndDeterministic(string canonical)
    {
        var hash = ObjectHash.Compute(canonical);

        Assert.Equal(10, hash.Length);
        Assert.All(hash, c => Assert.Contains(c, SafeAlphabet));
        Assert.Equal(hash, ObjectHash.Compute(canonical));
    }

    [Fact]
    public void Compute_DifferentStrings_DifferentHashes()
    {
        var hashes = Enumerable.Range(0, 50).Select(i => ObjectHash.Compute($"{{\"n\":{i}}}")).ToHashSet();

        Assert.Equal(50, hashes.Count);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1)]
    [InlineData(12)]
    public void RandomSuffix_HasRequestedLengthFromTheSafeAlphabet(int length)
    {
        var suffix = ObjectHash.RandomSuffix(length);

        Assert.Equal(length, suffix.Length);
        Assert.All(suffix, c => Assert.Contains(c, SafeAlphabet));
    }

    [Fact]
    public void RandomSuffix_Default_IsFiveCharacters()
    {
        Assert.Equal(5, ObjectHash.RandomSuffix().Length);
    }
}
