using HostDaemons.Agent.StaticPods;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.StaticPods;

public sealed class StaticPodDirectoryTests : IDisposable
{
    private const string Node = "edge-01";

    private readonly TempDirectory _dir = new("hd-manifests");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly StaticPodDirectory _directory;

    public StaticPodDirectoryTests()
    {
        _directory = new StaticPodDirectory(_dir.Path, Node, _time);
    }

    public void Dispose() => _dir.Dispose();

    internal static string Manifest(string name, string image = "busybox:latest", string comment = "") => $"""
        {comment}apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          terminationGracePeriodSeconds: 3
          containers:
          - name: main
            image: {image}
        """;

    [Fact]
    public void Read_MissingDirectory_NoPods()
    {
        var listing = new StaticPodDirectory(_dir.Combine("absent"), Node, _time).Read();

        Assert.False(listing.DirectoryExists);
        Assert.Empty(listing.Pods);
        Assert.Empty(listing.Errors);
    }

    [Fact]
    public void Read_BackupsSwapFilesHiddenFilesAndSubdirectories_Ignored()
    {
        Write("monitor.yaml", Manifest("monitor"));
        Write("monitor.yaml~", Manifest("backup"));
        Write(".monitor.yaml.swp", "binary swap data");
        Write(".hidden.yaml", Manifest("hidden"));
        Write("#monitor.yaml#", Manifest("autosave"));
        Write("notes.txt", "not a manifest");
        Directory.CreateDirectory(_dir.Combine("nested"));
        File.WriteAllText(_dir.Combine("nested", "inner.yaml"), Manifest("inner"));

        var listing = _directory.Read();

        Assert.Equal(["monitor-edge-01"], listing.Pods.Select(p => p.Metadata.Name));
        Assert.Empty(listing.Errors);
    }

    [Fact]
    public void Read_YamlYmlAndJson_AllRead()
    {
        Write("a.yaml", Manifest("a"));
        Write("b.yml", Manifest("b"));
        Write("c.json", """{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "c"}, "spec": {"containers": [{"name": "main", "image": "busybox"}]}}""");

        Assert.Equal(["a-edge-01", "b-edge-01", "c-edge-01"], _directory.Read().Pods.Select(p => p.Metadata.Name));
    }

    [Fact]
    public void Read_TouchedAndCommentsRewrittenLater_SamePod()
    {
        Write("monitor.yaml", Manifest("monitor"));
        var first = Assert.Single(_directory.Read().Pods);

        _time.Advance(TimeSpan.FromMinutes(5));
        Write("monitor.yaml", Manifest("monitor", comment: "# edited by hand\n\n"));
        var second = Assert.Single(_directory.Read().Pods);

        Assert.Equal(first, second);
        Assert.Equal(first.Metadata.Annotations["kubernetes.io/config.seen"], second.Metadata.Annotations["kubernetes.io/config.seen"]);
    }

    [Fact]
    public void Read_ImageChanged_NewUidAndSeenTime()
    {
        Write("monitor.yaml", Manifest("monitor"));
        var first = Assert.Single(_directory.Read().Pods);

        _time.Advance(TimeSpan.FromMinutes(5));
        Write("monitor.yaml", Manifest("monitor", image: "busybox:1.36"));
        var second = Assert.Single(_directory.Read().Pods);

        Assert.NotEqual(first.Metadata.Uid, second.Metadata.Uid);
        Assert.Equal("2025-06-01T12:05:00.0000000Z", second.Metadata.Annotations["kubernetes.io/config.seen"]);
    }

    [Fact]
    public void Read_Renamed_SamePod()
    {
        Write("monitor.yaml", Manifest("monitor"));
        var first = Assert.Single(_directory.Read().Pods);

        _time.Advance(TimeSpan.FromMinutes(1));
        File.Move(_dir.Combine("monitor.yaml"), _dir.Combine("10-monitor.yml"));
        var second = Assert.Single(_directory.Read().Pods);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Read_InvalidBesideValid_ValidRunsAndErrorNamesFileAndLine()
    {
        Write("good.yaml", Manifest("good"));
        Write("bad.yaml", Manifest("bad").Replace("    image:", "    imagee:", StringComparison.Ordinal));

        var listing = _directory.Read();

        Assert.Equal(["good-edge-01"], listing.Pods.Select(p => p.Metadata.Name));
        var error = Assert.Single(listing.Errors);
        Assert.Equal(_dir.Combine("bad.yaml"), error.File);
        Assert.Equal(9, error.Line);
        Assert.Contains("unknown field \"imagee\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RunningPodsFileBecomesInvalid_KeepsLastValidPodAndReports()
    {
        Write("monitor.yaml", Manifest("monitor"));
        var running = Assert.Single(_directory.Read().Pods);

        Write("monitor.yaml", Manifest("monitor", image: "busybox:1.36") + "\n  bogus: 1\n");
        var listing = _directory.Read();

        Assert.Equal(running, Assert.Single(listing.Pods));
        Assert.Contains(listing.Errors, e => e.File == _dir.Combine("monitor.yaml") && e.Line == 10 && e.Message.Contains("bogus", StringComparison.Ordinal));
        Assert.Contains(listing.Errors, e => e.Message.Contains("keeps running the last valid version", StringComparison.Ordinal));
        Assert.All(listing.Problems, p => Assert.Same(running, p.Pod));
    }

    [Fact]
    public void Read_InvalidFileFixed_NewVersionRuns()
    {
        Write("monitor.yaml", Manifest("monitor"));
        _directory.Read();
        Write("monitor.yaml", "apiVersion: v1\nkind: Pod\nmetadata: [");
        _directory.Read();

        Write("monitor.yaml", Manifest("monitor", image: "busybox:1.36"));
        var listing = _directory.Read();

        Assert.Equal("busybox:1.36", Assert.Single(listing.Pods).Spec.Containers[0].Image);
        Assert.Empty(listing.Errors);
    }

    [Fact]
    public void Read_FileRemoved_PodGoneAndLastValidVersionForgotten()
    {
        Write("monitor.yaml", Manifest("monitor"));
        _directory.Read();

        File.Delete(_dir.Combine("monitor.yaml"));
        Assert.Empty(_directory.Read().Pods);

        Write("monitor.yaml", "not: [valid");
        var listing = _directory.Read();
        Assert.Empty(listing.Pods);
        Assert.NotEmpty(listing.Errors);
    }

    [Fact]
    public void Read_TwoFilesSameName_FirstFileWinsOtherIsDuplicate()
    {
        Write("a.yaml", Manifest("monitor"));
        Write("b.yaml", Manifest("monitor", image: "busybox:1.36"));

        var listing = _directory.Read();

        Assert.Equal("busybox:latest", Assert.Single(listing.Pods).Spec.Containers[0].Image);
        var error = Assert.Single(listing.Errors);
        Assert.Equal(_dir.Combine("b.yaml"), error.File);
        Assert.Equal(4, error.Line);
        Assert.Matches("^Error validating pod monitor-edge-01_default\\([0-9a-f]{32}\\) from file due to duplicate pod name \"monitor-edge-01\", ignoring", error.Message);
        Assert.Equal("busybox:1.36", Assert.Single(listing.Problems).Pod?.Spec.Containers[0].Image);
    }

    [Fact]
    public void Read_TwoFilesSameContent_OnePodNoError()
    {
        Write("a.yaml", Manifest("monitor"));
        Write("copy.yaml", Manifest("monitor", comment: "# a copy\n"));

        var listing = _directory.Read();

        Assert.Single(listing.Pods);
        Assert.Empty(listing.Errors);
    }

    [Fact]
    public void Read_FileOverOneMebibyte_Refused()
    {
        Write("big.yaml", Manifest("big") + "\n#" + new string('x', StaticPodManifest.MaxBytes));
        Write("small.yaml", Manifest("small"));

        var listing = _directory.Read();

        Assert.Equal(["small-edge-01"], listing.Pods.Select(p => p.Metadata.Name));
        var error = Assert.Single(listing.Errors);
        Assert.Equal(_dir.Combine("big.yaml"), error.File);
        Assert.Contains("1 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AliasBomb_SkippedAndReportedWithFileAndLine()
    {
        Write("bomb.yaml", AliasBombs.StaticPod());
        Write("small.yaml", Manifest("small"));

        var listing = _directory.Read();

        Assert.Equal(["small-edge-01"], listing.Pods.Select(p => p.Metadata.Name));
        var error = Assert.Single(listing.Errors);
        Assert.Equal((_dir.Combine("bomb.yaml"), AliasBombs.StaticPodAliasLine), (error.File, error.Line));
        Assert.StartsWith("document contains excessive aliasing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SymlinkToManifest_Read()
    {
        var target = _dir.Combine("target");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "real.txt"), Manifest("linked"));
        File.CreateSymbolicLink(_dir.Combine("linked.yaml"), Path.Combine(target, "real.txt"));

        Assert.Equal(["linked-edge-01"], _directory.Read().Pods.Select(p => p.Metadata.Name));
    }

    private void Write(string name, string text) => File.WriteAllText(_dir.Combine(name), text);
}
