using HostDaemons.Model.Objects;
using HostDaemons.Model.Validation;

namespace HostDaemons.Model.Serialization;

/// <summary>An object read from a manifest, with where each of its fields was written.</summary>
public sealed record ManifestObject(ResourceKindInfo Kind, IKubeObject Value, FieldPositions Positions, string Source, int StartLine)
{
    /// <summary>
    /// The object exactly as the manifest wrote it, before defaults: what apply sends, so the last-applied
    /// configuration holds what the user wrote (as kubectl's does). <see cref="Value"/> when the reader did not default.
    /// </summary>
    public IKubeObject AsWritten { get; init; } = Value;

    /// <summary>What to warn about when the object is sent: an older API version it was written in, read as the current one.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>A problem in a manifest: <c>file:line:column: message</c>.</summary>
public sealed record ManifestProblem(string Source, SourcePosition? Position, string Message)
{
    public override string ToString() => Position is { } p ? $"{Source}:{p.Line}:{p.Column}: {Message}" : $"{Source}: {Message}";
}

public sealed record ManifestReadResult(IReadOnlyList<ManifestObject> Objects, IReadOnlyList<ManifestProblem> Problems)
{
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>
/// Reads manifests the way kubectl does (multi-document YAML or JSON, <c>kind: List</c>), then defaults and validates
/// every object, reporting each problem with its file, line and field.
/// </summary>
public static class ManifestReader
{
    private static readonly string[] s_topLevelFields = ["apiVersion", "kind", "metadata", "spec", "status"];

    public static ManifestReadResult Read(string text, string source, bool validate = true)
    {
        var objects = new List<ManifestObject>();
        var problems = new List<ManifestProblem>();
        foreach (var document in ManifestParser.Parse(text))
        {
            if (document.Root is not null)
            {
                var partial = document.SyntaxError is not null;
                var before = objects.Count;
                ReadNode(document.Root, source, document.StartLine, validate, partial, objects, problems);

                // A document cut short by a syntax error is checked for what can be said, never applied.
                if (partial)
                {
                    objects.RemoveRange(before, objects.Count - before);
                }
            }

            if (document.SyntaxError is { } syntax)
            {
                problems.Add(new ManifestProblem(source, syntax.Position, syntax.Message));
            }
        }

        problems.Sort((a, b) => (a.Position?.Line ?? 0).CompareTo(b.Position?.Line ?? 0));
        return new ManifestReadResult(objects, problems);
    }

    private static void ReadNode(ManifestNode root, string source, int startLine, bool validate, bool partial,
        List<ManifestObject> objects, List<ManifestProblem> problems)
    {
        if (root is ScalarNode { IsNull: true })
        {
            return;
        }

        if (root is not MappingNode mapping)
        {
            problems.Add(new ManifestProblem(source, root.Position, $"expected an object with apiVersion and kind, got {ObjectDecoder.Describe(root)}"));
            return;
        }

        var kind = mapping.FindString("kind");
        var apiVersion = mapping.FindString("apiVersion");
        if (kind == "List")
        {
            if (mapping.Find("items") is SequenceNode items)
            {
                foreach (var item in items.Items)
                {
                    ReadNode(item, source, item.Position.Line, validate, partial, objects, problems);
                }
            }

            return;
        }

        if (kind is null || apiVersion is null)
        {
            foreach (var entry in mapping.Entries.Where(e => !s_topLevelFields.Contains(e.Key)))
            {
                var suggestion = Suggestions.Closest(entry.Key, s_topLevelFields);
                problems.Add(new ManifestProblem(source, entry.KeyPosition, suggestion is null
                    ? $"unknown field \"{entry.Key}\""
                    : $"unknown field \"{entry.Key}\" (did you mean \"{suggestion}\"?)"));
            }

            if (partial)
            {
                return;
            }

            var missing = string.Join(", ", new[] { apiVersion is null ? "apiVersion not set" : null, kind is null ? "kind not set" : null }.Where(m => m is not null));
            problems.Add(new ManifestProblem(source, mapping.Position, $"error validating data: [{missing}]"));
            return;
        }

        var info = ResourceKinds.FindByKindName(kind);
        var deprecation = info is null ? null : DeprecatedApiVersions.Warning(info, apiVersion);
        if (info is null || (info.ApiVersion != apiVersion && deprecation is null))
        {
            var known = string.Join(", ", ResourceKinds.All.Select(k => $"{k.ApiVersion} {k.KindName}"));
            problems.Add(new ManifestProblem(source, mapping.Find("kind")?.Position ?? mapping.Position,
                $"no matches for kind \"{kind}\" in version \"{apiVersion}\" (HostDaemons serves {known})"));
            return;
        }

        var decoded = Decode(info, mapping);
        if (deprecation is not null && decoded.Succeeded)
        {
            // Read as the current version: what is sent, stored and recorded as last applied says v1.
            info.Descriptor.FindFieldByName("api_version")?.Accessor.SetValue(decoded.Value, info.ApiVersion);
        }

        foreach (var error in decoded.Errors.Where(e => !partial || e.IsUnknownField))
        {
            problems.Add(new ManifestProblem(source, error.Position, error.FieldPath is null ? error.Message : $"{error.FieldPath}: {error.Message}"));
        }

        if (!decoded.Succeeded)
        {
            return;
        }

        var asWritten = decoded.Value;
        if (validate && !partial)
        {
            asWritten = decoded.Value.CloneObject();
            ObjectValidator.ApplyDefaults(decoded.Value);
            var errors = ObjectValidator.Validate(decoded.Value);
            if (errors.Count > 0)
            {
                var name = decoded.Value.Metadata?.Name ?? "";
                foreach (var error in errors)
                {
                    problems.Add(new ManifestProblem(source, decoded.Positions.Find(error.Path),
                        ValidationErrors.Summarize(info.KindName, name, [error])));
                }

                return;
            }
        }

        objects.Add(new ManifestObject(info, decoded.Value, decoded.Positions, source, startLine)
        {
            AsWritten = asWritten,
            Warnings = deprecation is null ? [] : [deprecation],
        });
    }

    private static (IKubeObject Value, IReadOnlyList<ManifestError> Errors, FieldPositions Positions, bool Succeeded) Decode(ResourceKindInfo info, MappingNode mapping)
    {
        var decoded = ObjectDecoder.Decode(mapping, info.Descriptor);
        return ((IKubeObject)decoded.Value, decoded.Errors, decoded.Positions, decoded.Succeeded);
    }
}
