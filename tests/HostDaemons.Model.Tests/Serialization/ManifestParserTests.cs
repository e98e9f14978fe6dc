using HostDaemons.Model.Serialization;

namespace HostDaemons.Model.Tests.Serialization;

public sealed class ManifestParserTests
{
    [Fact]
    public void Parse_Mapping_KeepsLineAndColumnOfEveryKeyAndValue()
    {
        var document = Assert.Single(ManifestParser.Parse("a: 1\nb:\n  c: two\n"));

        var root = Assert.IsType<MappingNode>(document.Root);
        Assert.Null(document.SyntaxError);
        Assert.Equal(new SourcePosition(1, 1), root.Position);
        Assert.Equal(["a", "b"], root.Entries.Select(e => e.Key));
        Assert.Equal(new SourcePosition(1, 1), root.Entries[0].KeyPosition);
        Assert.Equal(new SourcePosition(1, 4), root.Entries[0].Value.Position);
        var nested = Assert.IsType<MappingNode>(root.Entries[1].Value);
        Assert.Equal(new SourcePosition(3, 3), nested.Entries[0].KeyPosition);
        Assert.Equal("two", nested.FindString("c"));
    }

    [Fact]
    public void Parse_Sequence_KeepsEachItemPosition()
    {
        var document = Assert.Single(ManifestParser.Parse("items:\n- x\n- y: 1\n"));

        var items = Assert.IsType<SequenceNode>(Assert.IsType<MappingNode>(document.Root).Find("items"));
        Assert.Equal(2, items.Items.Count);
        Assert.Equal(new SourcePosition(2, 3), items.Items[0].Position);
        Assert.Equal(new SourcePosition(3, 3), items.Items[1].Position);
        Assert.IsType<MappingNode>(items.Items[1]);
    }

    [Fact]
    public void Parse_MultipleDocuments_OneTreeEachWithStartLine()
    {
        var documents = ManifestParser.Parse("a: 1\n---\nb: 2\n---\nc: 3\n");

        Assert.Equal(3, documents.Count);
        Assert.Equal(["a", "b", "c"], documents.Select(d => Assert.IsType<MappingNode>(d.Root).Entries[0].Key));
        Assert.Equal(1, documents[0].StartLine);
        Assert.Equal(2, documents[1].StartLine);
        Assert.Equal(4, documents[2].StartLine);
    }

    [Fact]
    public void Parse_EmptyDocumentBetweenSeparators_HasNoRootOrNullScalar()
    {
        var documents = ManifestParser.Parse("---\n---\na: 1\n");

        Assert.Contains(documents, d => d.Root is MappingNode);
        Assert.All(documents.Where(d => d.Root is not MappingNode), d => Assert.True(d.Root is null or ScalarNode { IsNull: true }));
    }

    [Fact]
    public void Parse_EmptyText_NoDocumentsWithContent()
    {
        Assert.All(ManifestParser.Parse(""), d => Assert.True(d.Root is null or ScalarNode { IsNull: true }));
    }

    [Fact]
    public void Parse_Json_ReadsAsYaml()
    {
        var document = Assert.Single(ManifestParser.Parse("{\"a\": {\"b\": [1, \"2\", true]}}"));

        var root = Assert.IsType<MappingNode>(document.Root);
        var list = Assert.IsType<SequenceNode>(Assert.IsType<MappingNode>(root.Find("a")).Find("b"));
        var scalars = list.Items.Cast<ScalarNode>().ToArray();
        Assert.Equal(["1", "2", "true"], scalars.Select(s => s.Value));
        Assert.Equal([true, false, true], scalars.Select(s => s.IsPlain));
    }

    [Theory]
    [InlineData("a: ~", true)]
    [InlineData("a: null", true)]
    [InlineData("a: Null", true)]
    [InlineData("a: NULL", true)]
    [InlineData("a:", true)]
    [InlineData("a: \"\"", false)]
    [InlineData("a: 'null'", false)]
    [InlineData("a: nil", false)]
    public void Parse_NullForms_AreNullOnlyWhenPlain(string text, bool isNull)
    {
        var root = Assert.IsType<MappingNode>(Assert.Single(ManifestParser.Parse(text)).Root);

        Assert.Equal(isNull, Assert.IsType<ScalarNode>(root.Find("a")).IsNull);
    }

    [Fact]
    public void Parse_QuotedAndTaggedScalars_AreNotPlain()
    {
        var root = Assert.IsType<MappingNode>(Assert.Single(ManifestParser.Parse("a: \"1\"\nb: '2'\nc: !!str 3\nd: 4\n")).Root);

        Assert.False(((ScalarNode)root.Find("a")!).IsPlain);
        Assert.False(((ScalarNode)root.Find("b")!).IsPlain);
        Assert.False(((ScalarNode)root.Find("c")!).IsPlain);
        Assert.True(((ScalarNode)root.Find("d")!).IsPlain);
    }

    [Fact]
    public void Parse_AnchorAndAlias_AliasResolvesToAnchoredNode()
    {
        var root = Assert.IsType<MappingNode>(Assert.Single(ManifestParser.Parse("a: &labels\n  app: x\nb: *labels\n")).Root);

        var b = Assert.IsType<MappingNode>(root.Find("b"));
        Assert.Equal("x", b.FindString("app"));
    }

    [Fact]
    public void Parse_BlockLiteral_KeepsNewlines()
    {
        var root = Assert.IsType<MappingNode>(Assert.Single(ManifestParser.Parse("a: |\n  line1\n  line2\n")).Root);

        Assert.Equal("line1\nline2\n", root.FindString("a"));
    }

    [Fact]
    public void Parse_SyntaxError_ReportsPositionAndKeepsWhatParsedBefore()
    {
        var documents = ManifestParser.Parse("apiVersion: apps/v1\nkind: [DaemonSet\n");

        var document = Assert.Single(documents);
        Assert.NotNull(document.SyntaxError);
        Assert.StartsWith("YAML syntax error: ", document.SyntaxError.Message, StringComparison.Ordinal);
        var root = Assert.IsType<MappingNode>(document.Root);
        Assert.Equal("apps/v1", root.FindString("apiVersion"));
    }

    [Fact]
    public void Parse_KeyWithoutColon_NamesTheLineThatLacksIt()
    {
        var documents = ManifestParser.Parse("apiVersion: v1\nmetadata\n  name: x\nkind: Pod\n");

        var error = documents.Select(d => d.SyntaxError).Single(e => e is not null)!;
        Assert.Equal(2, error.Position.Line);
        Assert.Contains("\"metadata\" is not a \"key: value\" pair (a missing ':'?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SyntaxErrorInSecondDocument_FirstDocumentIsComplete()
    {
        var documents = ManifestParser.Parse("a: 1\n---\nb: [\n");

        Assert.Equal(2, documents.Count);
        Assert.Null(documents[0].SyntaxError);
        Assert.NotNull(documents[1].SyntaxError);
        Assert.Equal("1", Assert.IsType<MappingNode>(documents[0].Root).FindString("a"));
    }

    [Fact]
    public void MappingNode_FindString_NullForMissingNullOrNonScalar()
    {
        var root = Assert.IsType<MappingNode>(Assert.Single(ManifestParser.Parse("a: ~\nb: [1]\nc: x\n")).Root);

        Assert.Null(root.FindString("a"));
        Assert.Null(root.FindString("b"));
        Assert.Null(root.FindString("missing"));
        Assert.Equal("x", root.FindString("c"));
    }

    [Fact]
    public void SourcePosition_ToString_IsLineColon()
    {
        Assert.Equal("3:7", new SourcePosition(3, 7).ToString());
    }

    [Fact]
    public void ManifestError_ToString_IncludesFieldPathWhenKnown()
    {
        Assert.Equal("2:3: spec.x: bad", new ManifestError(new SourcePosition(2, 3), "bad", "spec.x").ToString());
        Assert.Equal("2:3: bad", new ManifestError(new SourcePosition(2, 3), "bad").ToString());
    }
}
