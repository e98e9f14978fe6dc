using Google.Protobuf;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Commands;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.Cli.Tests.Commands;

public sealed class DiffCommandTests : IDisposable
{
    private const string LiveDirectory = "/tmp/LIVE-1";
    private const string MergedDirectory = "/tmp/MERGED-2";

    private readonly TempDirectory _temp = new("hdctl-diff");

    public void Dispose() => _temp.Dispose();

    private static string Manifest(string name = "x", string image = "busybox:1") => $$"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: {{name}}
        spec:
          selector:
            matchLabels: {app: {{name}}}
          template:
            metadata:
              labels: {app: {{name}}}
            spec:
              containers:
              - name: main
                image: {{image}}
        """;

    private static IReadOnlyList<ManifestObject> Objects(string yaml)
    {
        var read = ManifestReader.Read(yaml, "x.yaml");
        Assert.Empty(read.Problems);
        return read.Objects;
    }

    /// <summary>The object as the server stores it after an apply: defaults, annotation, identity, status.</summary>
    private static T Stored<T>(T value, long generation = 1)
        where T : class, IKubeObject<T>
    {
        var stored = LastAppliedConfiguration.WithAnnotation(value);
        stored.Metadata.Uid = "uid-1";
        stored.Metadata.ResourceVersion = "42";
        stored.Metadata.Generation = generation;
        stored.Metadata.CreationTimestamp = TestPods.Ago(TimeSpan.FromDays(1));
        if (stored is DaemonSet ds)
        {
            ds.Status = new DaemonSetStatus { DesiredNumberScheduled = 3 };
        }

        return stored;
    }

    /// <summary>A server whose dry run answers with the applied object merged over the live one's identity.</summary>
    private static FakeApplyClient Server(params IKubeObject[] live) => new(live)
    {
        Respond = request =>
        {
            var applied = request.Object.Unwrap()!;
            var existing = live.FirstOrDefault(o => o.Metadata.Name == applied.Metadata.Name);
            var merged = applied.ResourceKind == ResourceKind.Secret
                ? (IKubeObject)Stored((Secret)applied)
                : Stored((DaemonSet)applied, existing is null ? 1 : 2);
            ObjectValidator.ApplyDefaults(merged);
            var outcome = existing is null ? ApplyOutcome.Created : Equals(existing, merged) ? ApplyOutcome.Unchanged : ApplyOutcome.Configured;
            return new ApplyResponse { Object = merged.Wrap(), Outcome = outcome };
        },
    };

    private static async Task<(int Code, string Output)> DiffAsync(FakeApplyClient client, string yaml)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = await DiffCommand.DiffAsync(client, Objects(yaml), output, error, (LiveDirectory, MergedDirectory, TestPods.Now), TestContext.Current.CancellationToken).DefaultTimeout();
        Assert.Equal("", error.ToString());
        return (code, output.ToString());
    }

    private static DaemonSet LiveDaemonSet(string name = "x", string image = "busybox:1")
    {
        var ds = (DaemonSet)Objects(Manifest(name, image))[0].AsWritten;
        ds.Metadata.Namespace = "default";
        var stored = Stored(ds);
        ObjectValidator.ApplyDefaults(stored);
        return stored;
    }

    [Fact]
    public async Task DiffAsync_NothingWouldChange_ExitZeroAndNoOutput()
    {
        var client = Server(LiveDaemonSet());

        var (code, output) = await DiffAsync(client, Manifest());

        Assert.Equal((0, ""), (code, output));
        Assert.True(Assert.Single(client.Applies).DryRun);
    }

    [Fact]
    public async Task DiffAsync_ChangedImage_ExitOneWithKubectlsHeadersAndOneHunk()
    {
        var (code, output) = await DiffAsync(Server(LiveDaemonSet()), Manifest(image: "busybox:2"));

        Assert.Equal(1, code);
        Assert.Equal(
            "diff -u -N /tmp/LIVE-1/apps.v1.DaemonSet.default.x /tmp/MERGED-2/apps.v1.DaemonSet.default.x\n"
            + "--- /tmp/LIVE-1/apps.v1.DaemonSet.default.x\t2026-01-02 03:04:05.000000000 +0000\n"
            + "+++ /tmp/MERGED-2/apps.v1.DaemonSet.default.x\t2026-01-02 03:04:05.000000000 +0000\n"
            + "@@ -14,7 +14,7 @@\n"
            + "         app: x\n"
            + "     spec:\n"
            + "       containers:\n"
            + "-      - image: busybox:1\n"
            + "+      - image: busybox:2\n"
            + "         imagePullPolicy: IfNotPresent\n"
            + "         name: main\n"
            + "         terminationMessagePath: /dev/termination-log\n",
            output);
    }

    [Fact]
    public async Task DiffAsync_ShownObjects_LeaveOutStatusManagedFieldsAndLastApplied()
    {
        var (_, output) = await DiffAsync(Server(LiveDaemonSet()), Manifest(image: "busybox:2"));

        Assert.DoesNotContain("generation", output, StringComparison.Ordinal);
        Assert.DoesNotContain("resourceVersion", output, StringComparison.Ordinal);
        Assert.DoesNotContain("uid", output, StringComparison.Ordinal);
        Assert.DoesNotContain("creationTimestamp", output, StringComparison.Ordinal);
        Assert.DoesNotContain("status", output, StringComparison.Ordinal);
        Assert.DoesNotContain(LastAppliedConfiguration.Annotation, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffAsync_NewObject_WholeFileAddedAgainstAnEmptyLiveFileAtTheEpoch()
    {
        var (code, output) = await DiffAsync(Server(), Manifest());

        Assert.Equal(1, code);
        var lines = output.Split('\n');
        Assert.Equal("--- /tmp/LIVE-1/apps.v1.DaemonSet.default.x\t1970-01-01 00:00:00.000000000 +0000", lines[1]);
        Assert.StartsWith("@@ -0,0 +1,", lines[3], StringComparison.Ordinal);
        Assert.Equal("+apiVersion: apps/v1", lines[4]);
        Assert.All(lines.Skip(4).Where(l => l.Length > 0), l => Assert.StartsWith("+", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiffAsync_SeveralObjects_OnlyTheChangedOnesInFileNameOrder()
    {
        var client = Server(LiveDaemonSet("b"), LiveDaemonSet("a"), LiveDaemonSet("c"));

        var (code, output) = await DiffAsync(client, Manifest("c", "busybox:2") + "\n---\n" + Manifest("b") + "\n---\n" + Manifest("a", "busybox:2"));

        Assert.Equal(1, code);
        Assert.Equal(
            ["diff -u -N /tmp/LIVE-1/apps.v1.DaemonSet.default.a /tmp/MERGED-2/apps.v1.DaemonSet.default.a", "diff -u -N /tmp/LIVE-1/apps.v1.DaemonSet.default.c /tmp/MERGED-2/apps.v1.DaemonSet.default.c"],
            output.Split('\n').Where(l => l.StartsWith("diff ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DiffAsync_Secret_ValuesMaskedAsKubectlMasksThem()
    {
        var live = new Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new ObjectMeta { Name = "s", Namespace = "default" }, Type = "Opaque" };
        live.Data["same"] = ByteString.CopyFromUtf8("1");
        live.Data["changed"] = ByteString.CopyFromUtf8("old");
        var yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  same: \"1\"\n  changed: new\n  added: x\n";

        var (code, output) = await DiffAsync(Server(Stored(live)), yaml);

        Assert.Equal(1, code);
        Assert.StartsWith("diff -u -N /tmp/LIVE-1/v1.Secret.default.s /tmp/MERGED-2/v1.Secret.default.s\n", output, StringComparison.Ordinal);
        Assert.Contains("\n+  added: '***'\n", output, StringComparison.Ordinal);
        Assert.Contains("\n-  changed: '*** (before)'\n", output, StringComparison.Ordinal);
        Assert.Contains("\n+  changed: '*** (after)'\n", output, StringComparison.Ordinal);
        Assert.Contains("\n   same: '***'\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("bmV3", output, StringComparison.Ordinal);
    }

    [Fact]
    public void FileName_CoreAndGroupKinds_AsKubectlNamesThem()
    {
        Assert.Equal("apps.v1.DaemonSet.ns.x", DiffCommand.FileName(ResourceKinds.DaemonSet, "ns", "x"));
        Assert.Equal("v1.Secret.default.s", DiffCommand.FileName(ResourceKinds.Secret, "default", "s"));
    }

    [Fact]
    public async Task Run_MissingFile_ExitCodeTwo()
    {
        var (code, _, error) = await HdctlRunner.RunAsync("diff", "-f", _temp.Combine("none.yaml"));

        Assert.Equal(2, code);
        Assert.StartsWith("error: the path ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ServerUnreachable_ExitCodeTwo()
    {
        var path = _temp.Combine("x.yaml");
        await File.WriteAllTextAsync(path, Manifest(), TestContext.Current.CancellationToken);

        var (code, output, error) = await HdctlRunner.RunAsync("diff", "-f", path);

        Assert.Equal(2, code);
        Assert.Contains("127.0.0.1:1", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }
}
