using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.Validation;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.StaticPods;

/// <summary>
/// Turns one manifest file into the static pod the node runs, as the kubelet's file source does (decode one v1 Pod,
/// apply the API defaults, then <c>applyDefaults</c>: uid, name, namespace, node, toleration, source annotations) and
/// validates the result; or says what is wrong, with the file and line. Pure: no I/O, the time of the read is given.
/// </summary>
internal static class StaticPodManifest
{
    /// <summary>Files above this size are refused (the kubelet reads up to 10 MiB; a pod manifest is a few KiB).</summary>
    public const int MaxBytes = 1024 * 1024;

    public const string SourceAnnotation = "kubernetes.io/config.source";
    public const string SeenAnnotation = "kubernetes.io/config.seen";
    public const string FileSource = "file";

    /// <summary>
    /// The static pod of <paramref name="path"/>: its content <paramref name="text"/>, on node <paramref name="nodeName"/>,
    /// read at <paramref name="seen"/>.
    /// </summary>
    public static StaticPodManifestResult Parse(string path, string text, string nodeName, DateTimeOffset seen)
    {
        var read = ManifestReader.Read(text, path, validate: false);
        if (!read.Succeeded)
        {
            return Failed([.. read.Problems.Select(p => new ManifestError(path, p.Position?.Line ?? 0, p.Message))]);
        }

        if (read.Objects.Count == 0)
        {
            return Failed([new ManifestError(path, 0, "couldn't parse as pod: the file holds no object; a static pod manifest holds one v1 Pod")]);
        }

        if (read.Objects.Count > 1)
        {
            var found = string.Join(", ", read.Objects.Select(Describe));
            return Failed([new ManifestError(path, read.Objects[1].StartLine,
                $"couldn't parse as pod: the file holds {read.Objects.Count} objects ({found}); a static pod manifest holds exactly one v1 Pod")]);
        }

        var manifest = read.Objects[0];
        if (manifest.Value is not Pod decoded)
        {
            return Failed([new ManifestError(path, manifest.StartLine, $"couldn't parse as pod: found {Describe(manifest)}; a static pod manifest holds one v1 Pod")]);
        }

        var pod = decoded.Clone();
        ObjectValidator.ApplyDefaults(pod);
        var errors = new ValidationErrors();
        if (pod.Metadata.Name.Length == 0)
        {
            errors.Required("metadata.name", "a static pod is named <metadata.name>-<node name>");
        }

        if (pod.Metadata.OwnerReferences.Count > 0)
        {
            errors.Forbidden("metadata.ownerReferences", "a static pod belongs to its node; its owner is \"static\"");
        }

        if (pod.Metadata.DeletionTimestamp is not null)
        {
            errors.Forbidden("metadata.deletionTimestamp", "remove the file to delete a static pod");
        }

        if (errors.Count > 0)
        {
            return Failed(ToManifestErrors(path, manifest.Positions, pod.Metadata.Name, errors));
        }

        // What the kubelet leaves to the API server: a static pod never has them from its file.
        pod.Metadata.ResourceVersion = "";
        pod.Metadata.Generation = 0;
        pod.Metadata.CreationTimestamp = null;
        pod.Metadata.ClearDeletionGracePeriodSeconds();
        pod.Status = null;

        var contentHash = ContentHash(pod, nodeName);
        if (pod.Metadata.Uid.Length == 0)
        {
            pod.Metadata.Uid = contentHash;
        }

        pod.Metadata.Name = $"{pod.Metadata.Name}-{nodeName.ToLowerInvariant()}";
        pod.Metadata.ResourceVersion = contentHash;
        pod.Metadata.Annotations[MirrorPodAnnotations.Hash] = pod.Metadata.Uid;
        pod.Metadata.Annotations[SourceAnnotation] = FileSource;
        pod.Metadata.Annotations[SeenAnnotation] = seen.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        pod.Spec.NodeName = nodeName;
        pod.Spec.Tolerations.Add(new Toleration { Operator = "Exists", Effect = "NoExecute" });

        var invalid = ObjectValidator.Validate(pod);
        if (invalid.Count > 0)
        {
            return Failed(ToManifestErrors(path, manifest.Positions, pod.Metadata.Name, invalid));
        }

        return new StaticPodManifestResult(pod, [], manifest.Positions.Find("metadata.name")?.Line ?? manifest.StartLine);
    }

    /// <summary>
    /// The uid: a digest of the decoded, defaulted pod in canonical form (field and map order, whitespace and comments
    /// do not count) and the node. Unlike the kubelet, the file's path is not part of it, so a file renamed with
    /// unchanged content keeps its pod running, nor are defaults added in later versions, so an upgrade does not.
    /// </summary>
    public static string ContentHash(Pod pod, string nodeName)
    {
        var canonical = ObjectEncoder.Encode(ObjectDefaults.WithoutLateDefaults(pod)).ToJsonString() + "host:" + nodeName;
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical), digest);
        return Convert.ToHexStringLower(digest[..16]);
    }

    private static StaticPodManifestResult Failed(IReadOnlyList<ManifestError> errors) => new(null, errors, 0);

    private static List<ManifestError> ToManifestErrors(string path, FieldPositions positions, string name, ValidationErrors errors) =>
        [.. errors.Select(e => new ManifestError(path, positions.Find(e.Path)?.Line ?? 0, ValidationErrors.Summarize("Pod", name, [e])))];

    private static string Describe(ManifestObject manifest) =>
        $"{manifest.Kind.ApiVersion} {manifest.Kind.KindName} \"{manifest.Value.Metadata?.Name ?? ""}\"";
}
