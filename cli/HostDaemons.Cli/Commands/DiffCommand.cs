using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Diffing;
using HostDaemons.Cli.Manifests;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// <c>hdctl diff -f FILE|DIR|-</c>, as kubectl diff: for each object, the live version against the one apply would
/// make (the server's dry run of the apply), both as YAML, compared as <c>diff -u -N</c> compares kubectl's LIVE and
/// MERGED directories. Exit code 0 when nothing would change, 1 when something would, above 1 on an error.
/// </summary>
internal sealed class DiffCommand : Command
{
    /// <summary>kubectl diff's code for an error (its usual code plus one, so it never reads as "differences").</summary>
    public const int ErrorExitCode = 2;

    private static readonly string[] s_noisyMetadata = ["generation", "resourceVersion", "uid", "creationTimestamp", "managedFields"];

    private readonly Option<string[]> _files = CommonOptions.Filenames("Files, directories or - (stdin) holding YAML or JSON manifests");
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly CliEnvironment _env;

    public DiffCommand(CliEnvironment env)
        : base("diff", "Diff the live objects against what apply would make them (exit code 0: no differences, 1: differences, >1: error)")
    {
        _env = env;
        _files.Required = true;
        Options.Add(_files);
        Options.Add(_namespace);
        SetAction(RunAsync);
    }

    /// <summary>One object of the diff: kubectl's file name for it and the two versions as YAML ("" when it does not exist).</summary>
    internal sealed record DiffFile(string Name, string Live, string Merged);

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        try
        {
            var read = ManifestFiles.Read(parse.GetValue(_files) ?? [], _env.Input, _env.Error);
            if (!read.Succeeded)
            {
                foreach (var problem in read.Problems)
                {
                    await _env.Error.WriteLineAsync($"error: {problem}");
                }

                return ErrorExitCode;
            }

            if (read.Objects.Count == 0)
            {
                throw new CliException("error: no objects passed to diff");
            }

            ApplyCommand.UseNamespace(read.Objects, parse.GetValue(_namespace));
            var client = _env.Connect(parse).Client;
            return await DiffAsync(client, read.Objects, _env.Output, _env.Error, (TempDirectory("LIVE"), TempDirectory("MERGED"), _env.Time.GetUtcNow()), cancellationToken);
        }
        catch (CliException ex)
        {
            await _env.Error.WriteLineAsync(ex.Message);
            return ErrorExitCode;
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            await _env.Error.WriteLineAsync(_env.DescribeError(ex, parse));
            return ErrorExitCode;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            await _env.Error.WriteLineAsync($"error: {ex.Message}");
            return ErrorExitCode;
        }
    }

    /// <summary>Prints the diff of every object; 0 when there is none, 1 when there is one. Errors are thrown.</summary>
    internal static async Task<int> DiffAsync(AdminService.AdminServiceClient client, IReadOnlyList<ManifestObject> objects, TextWriter output, TextWriter error,
        (string LiveDirectory, string MergedDirectory, DateTimeOffset Now) labels, CancellationToken cancellationToken)
    {
        var files = await CollectAsync(client, objects, error, cancellationToken);
        var text = Render(files, labels.LiveDirectory, labels.MergedDirectory, labels.Now);
        await output.WriteAsync(text);
        return text.Length == 0 ? ExitCodes.Success : ExitCodes.Error;
    }

    /// <summary>
    /// The live and merged version of each object: a Get (NotFound: it would be created) and a server dry run of the
    /// apply. A server error stops the diff, as kubectl's does; an invalid object is named at its line.
    /// </summary>
    internal static async Task<IReadOnlyList<DiffFile>> CollectAsync(AdminService.AdminServiceClient client, IReadOnlyList<ManifestObject> objects,
        TextWriter error, CancellationToken cancellationToken)
    {
        var files = new List<DiffFile>();
        foreach (var item in objects)
        {
            await ManifestFiles.WriteWarningsAsync(item, error);
            var meta = item.Value.Metadata;
            var ns = item.Kind.Namespaced ? (meta.Namespace.Length == 0 ? ObjectDefaults.DefaultNamespace : meta.Namespace) : "";
            IKubeObject? live;
            try
            {
                var reference = new ObjectReference { Kind = item.Kind.Kind, Namespace = ns, Name = meta.Name };
                live = (await client.GetAsync(new GetRequest { Ref = reference }, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken)).Unwrap();
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                live = null;
            }

            ApplyResponse response;
            try
            {
                response = await client.ApplyAsync(new ApplyRequest { Object = item.AsWritten.Wrap(), Mode = ApplyMode.Apply, DryRun = true },
                    deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition)
            {
                throw new CliException(ManifestErrors.Locate(item, ex.Status.Detail));
            }

            foreach (var warning in response.Warnings)
            {
                await error.WriteLineAsync($"Warning: {warning}");
            }

            var liveJson = live is null ? null : Shown(live);
            var mergedJson = Shown(response.Object?.Unwrap() ?? throw new CliException($"error: the server returned no object for {ResourcePrinter.NameOf(item.Value)}"));
            if (item.Kind.Kind == Model.V1.ResourceKind.Secret)
            {
                MaskSecretData(liveJson, mergedJson);
            }

            files.Add(new DiffFile(FileName(item.Kind, ns, meta.Name), Yaml(liveJson), Yaml(mergedJson)));
        }

        return files;
    }

    /// <summary>
    /// What <c>diff -u -N LIVE MERGED</c> prints for the two directories: for each file that differs, in name order, the
    /// command line, then the unified diff (a missing live file is empty and dated at the epoch, as <c>-N</c> does).
    /// </summary>
    internal static string Render(IEnumerable<DiffFile> files, string liveDirectory, string mergedDirectory, DateTimeOffset now)
    {
        var text = new StringBuilder();
        var modified = Timestamp(now);
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var livePath = $"{liveDirectory}/{file.Name}";
            var mergedPath = $"{mergedDirectory}/{file.Name}";
            var liveTime = file.Live.Length == 0 ? Timestamp(DateTimeOffset.UnixEpoch) : modified;
            var mergedTime = file.Merged.Length == 0 ? Timestamp(DateTimeOffset.UnixEpoch) : modified;
            var diff = UnifiedDiff.Format($"{livePath}\t{liveTime}", $"{mergedPath}\t{mergedTime}", file.Live, file.Merged);
            if (diff.Length > 0)
            {
                text.Append("diff -u -N ").Append(livePath).Append(' ').Append(mergedPath).Append('\n').Append(diff);
            }
        }

        return text.ToString();
    }

    /// <summary>kubectl's file name for an object: <c>apps.v1.DaemonSet.default.x</c>, <c>v1.Secret.default.x</c>.</summary>
    internal static string FileName(ResourceKindInfo kind, string ns, string name)
    {
        var version = kind.ApiVersion[(kind.ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var group = kind.Group.Length == 0 ? "" : kind.Group + ".";
        return $"{group}{version}.{kind.KindName}.{ns}.{name}";
    }

    /// <summary>An object as the diff shows it: without status, the fields the server changes on every write, and the last-applied annotation.</summary>
    internal static JsonObject Shown(IKubeObject value)
    {
        var json = ObjectEncoder.Encode(value);
        json.Remove("status");
        if (json["metadata"] is JsonObject metadata)
        {
            foreach (var field in s_noisyMetadata)
            {
                metadata.Remove(field);
            }

            if (metadata["annotations"] is JsonObject annotations)
            {
                annotations.Remove(LastAppliedConfiguration.Annotation);
                if (annotations.Count == 0)
                {
                    metadata.Remove("annotations");
                }
            }
        }

        return json;
    }

    /// <summary>
    /// kubectl diff's masker: a secret's values never print. A key whose value changes shows <c>*** (before)</c> and
    /// <c>*** (after)</c>, any other <c>***</c>.
    /// </summary>
    internal static void MaskSecretData(JsonObject? live, JsonObject? merged)
    {
        var before = live?["data"] as JsonObject;
        var after = merged?["data"] as JsonObject;
        foreach (var key in before?.Select(p => p.Key).ToList() ?? [])
        {
            var changed = after is not null && after.ContainsKey(key) && !JsonNode.DeepEquals(before![key], after[key]);
            before![key] = changed ? "*** (before)" : "***";
            if (changed)
            {
                after![key] = "*** (after)";
            }
        }

        foreach (var key in after?.Select(p => p.Key).ToList() ?? [])
        {
            if (after![key]?.GetValue<string>() is not "*** (after)")
            {
                after[key] = "***";
            }
        }
    }

    private static string Yaml(JsonObject? json) => json is null ? "" : ManifestWriter.ToYaml(json);

    /// <summary>GNU diff's time of a file: <c>2025-01-01 12:00:00.000000000 +0000</c>.</summary>
    private static string Timestamp(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fffffff'00 +0000'", CultureInfo.InvariantCulture);

    /// <summary>A name like kubectl's temporary directories (<c>/tmp/LIVE-2842937044</c>); nothing is written there.</summary>
    private static string TempDirectory(string prefix) =>
        Path.Combine(Path.GetTempPath(), $"{prefix}-{RandomNumberGenerator.GetInt32(int.MaxValue).ToString(CultureInfo.InvariantCulture)}");
}
