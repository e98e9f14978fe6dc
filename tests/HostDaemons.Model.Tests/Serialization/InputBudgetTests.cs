using System.Diagnostics;
using System.Text;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.Validation;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Serialization;

/// <summary>The decoder's budgets (issue 17): alias amplification, document size, and the named limits.</summary>
public sealed class InputBudgetTests
{
    private const long MaxExtraBytes = 100L * 1024 * 1024;

    [Fact]
    public void Limits_AreKubernetesValues()
    {
        Assert.Equal(3_145_728, InputLimits.MaxRequestBytes);
        Assert.Equal("Request entity too large: limit is 3145728", InputLimits.RequestEntityTooLarge);
        Assert.Equal(InputLimits.MaxRequestBytes, InputLimits.MaxDocumentBytes);
        Assert.Equal(InputLimits.MaxRequestBytes, InputLimits.MaxExpandedBytes);
        Assert.True(InputLimits.MaxGrpcReceiveBytes > InputLimits.MaxRequestBytes);
        Assert.Equal(32L * 1024 * 1024, InputLimits.MaxManifestFileBytes);
        Assert.Equal(262_144, NameValidation.MaxTotalAnnotationBytes);
    }

    [Fact]
    public void AllowedRatio_IsGoYamls()
    {
        Assert.Equal(0.99, AliasBudget.AllowedRatio(1_000));
        Assert.Equal(0.99, AliasBudget.AllowedRatio(AliasBudget.RatioRangeLow));
        Assert.Equal(0.545, AliasBudget.AllowedRatio(2_200_000), 6);
        Assert.Equal(0.10, AliasBudget.AllowedRatio(AliasBudget.RatioRangeHigh));
        Assert.Equal(0.10, AliasBudget.AllowedRatio(40_000_000));
    }

    [Theory]
    [InlineData("static-pod")]
    [InlineData("daemonset")]
    public void Read_AliasBomb_RefusedFastWithLittleMemoryNamingFileAndLine(string kind)
    {
        var (text, line) = kind == "static-pod"
            ? (AliasBombs.StaticPod(), AliasBombs.StaticPodAliasLine)
            : (AliasBombs.DaemonSet(), AliasBombs.DaemonSetAliasLine);
        Assert.InRange(text.Length, 120_000, 140_000);

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var result = ManifestReader.Read(text, "bomb.yaml");
        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        TestContext.Current.TestOutputHelper?.WriteLine($"{kind}: {text.Length} bytes refused in {clock.Elapsed.TotalMilliseconds:F1} ms, {allocated / 1024.0 / 1024:F1} MiB allocated");

        Assert.Empty(result.Objects);
        var problem = Assert.Single(result.Problems);
        Assert.Equal($"bomb.yaml:{line}:", problem.ToString()[..$"bomb.yaml:{line}:".Length]);
        Assert.Contains(AliasBudget.ExcessiveAliasing, problem.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.InRange(allocated, 0, MaxExtraBytes);
    }

    [Fact]
    public void Parse_BillionLaughsOfEmptyStrings_RefusedByTheNodeRatio()
    {
        // No bytes to count: only the share of alias-expanded nodes gives it away.
        var yaml = new StringBuilder("l0: &l0 [" + string.Join(",", Enumerable.Repeat("\"\"", 9)) + "]\n");
        for (var level = 1; level <= 9; level++)
        {
            yaml.Append($"l{level}: &l{level} [").AppendJoin(",", Enumerable.Repeat($"*l{level - 1}", 9)).Append("]\n");
        }

        var document = Assert.Single(ManifestParser.Parse(yaml.ToString()));

        Assert.Null(document.Root);
        Assert.Equal(AliasBudget.ExcessiveAliasing, document.SyntaxError?.Message);
        Assert.InRange(document.SyntaxError!.Position.Line, 2, 10);
    }

    [Fact]
    public void Parse_AliasesReusedModestly_Accepted()
    {
        var yaml = """
            env: &env
            - name: A
              value: "1"
            - name: B
              value: "2"
            containers:
            - env: *env
            - env: *env
            - env: *env
            """;

        var document = Assert.Single(ManifestParser.Parse(yaml));

        Assert.Null(document.SyntaxError);
        var containers = Assert.IsType<SequenceNode>(Assert.IsType<MappingNode>(document.Root).Find("containers"));
        Assert.Equal(3, containers.Items.Count);
    }

    [Fact]
    public void Parse_ManyAliasesOfALargeList_RefusedOnceTheShareTopsNinetyNinePercent()
    {
        var yaml = "a: &a [" + string.Join(",", Enumerable.Repeat("~", 200)) + "]\nb: [" + string.Join(",", Enumerable.Repeat("*a", 1_000)) + "]\n";

        var document = Assert.Single(ManifestParser.Parse(yaml));

        Assert.Equal(AliasBudget.ExcessiveAliasing, document.SyntaxError?.Message);
        Assert.Equal(2, document.SyntaxError!.Position.Line);
    }

    [Fact]
    public void Parse_AliasesExpandingPastTheByteLimit_Refused()
    {
        var value = new string('v', 1024 * 1024);
        var yaml = $"a: &a \"{value}\"\nb: [*a, *a]\nc: *a\n";

        var document = Assert.Single(ManifestParser.Parse(yaml));

        Assert.Equal($"document contains excessive aliasing: its aliases expand it to more than {InputLimits.MaxExpandedBytes} bytes", document.SyntaxError?.Message);
        Assert.Equal(new SourcePosition(2, 9), document.SyntaxError!.Position);
    }

    [Fact]
    public void Parse_DocumentOverTheSizeLimit_RefusedAtItsStartLine()
    {
        var big = "---\nkind: ConfigMap\ndata:\n  k: \"" + new string('d', InputLimits.MaxDocumentBytes) + "\"\n";
        var documents = ManifestParser.Parse("kind: Namespace\n" + big);

        Assert.Equal(2, documents.Count);
        Assert.Null(documents[0].SyntaxError);
        Assert.Null(documents[1].Root);
        Assert.Equal($"the document is larger than the {InputLimits.MaxDocumentBytes} bytes a document may have", documents[1].SyntaxError?.Message);
        Assert.Equal(2, documents[1].SyntaxError!.Position.Line);
    }

    [Fact]
    public void Parse_DocumentJustUnderTheSizeLimit_Accepted()
    {
        var text = "k: \"" + new string('d', InputLimits.MaxDocumentBytes - 100) + "\"\n";

        Assert.Null(Assert.Single(ManifestParser.Parse(text)).SyntaxError);
    }

    [Fact]
    public void Validate_AnnotationsOverTheTotal_TooLongCountingUtf8Bytes()
    {
        var pod = new Pod { Metadata = new ObjectMeta { Name = "p", Namespace = "default" } };
        // 'é' is two bytes: the characters fit, the bytes do not.
        pod.Metadata.Annotations["a"] = new string('é', (NameValidation.MaxTotalAnnotationBytes / 2) - 1);
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(pod.Metadata, namespaced: true, "metadata", errors);
        Assert.Empty(errors);

        pod.Metadata.Annotations["bb"] = "";
        errors = new ValidationErrors();
        ObjectMetaValidator.Validate(pod.Metadata, namespaced: true, "metadata", errors);
        Assert.Equal("metadata.annotations: Too long: must have at most 262144 bytes", Assert.Single(errors).ToString());
    }
}
