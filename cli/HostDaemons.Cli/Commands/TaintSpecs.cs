using HostDaemons.Cli.Client;
using HostDaemons.Model.Validation;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// kubectl taint's arguments, parsed and checked as kubectl does (its parseTaints, parseTaint and Validate), with its
/// messages: <c>key=value:Effect</c> or <c>key:Effect</c> to add, <c>key:Effect-</c> or <c>key-</c> to remove.
/// </summary>
internal static class TaintSpecs
{
    private static readonly string[] s_effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    /// <summary>An argument that changes taints rather than naming a resource.</summary>
    public static bool IsTaintArgument(string argument) =>
        argument.Contains('=', StringComparison.Ordinal) || argument.Contains(':', StringComparison.Ordinal) || argument.EndsWith('-');

    /// <summary>Splits the arguments into resources and taint changes; the resources come first.</summary>
    public static (List<string> Resources, List<string> Taints) Split(IEnumerable<string> arguments)
    {
        var resources = new List<string>();
        var taints = new List<string>();
        foreach (var argument in arguments)
        {
            if (IsTaintArgument(argument))
            {
                taints.Add(argument);
            }
            else if (taints.Count > 0)
            {
                throw new CliException($"error: all resources must be specified before taint changes: {argument}");
            }
            else
            {
                resources.Add(argument);
            }
        }

        return (resources, taints);
    }

    /// <summary>The taints to add and to remove; a malformed one is a <see cref="FormatException"/> with kubectl's message.</summary>
    public static (List<Taint> Add, List<Taint> Remove) Parse(IEnumerable<string> specs)
    {
        var add = new List<Taint>();
        var remove = new List<Taint>();
        foreach (var spec in specs)
        {
            if (spec.EndsWith('-'))
            {
                var taint = ParseOne(spec[..^1]);
                remove.Add(new Taint { Key = taint.Key, Effect = taint.Effect });
                continue;
            }

            var added = ParseOne(spec);
            if (added.Effect.Length == 0)
            {
                throw new FormatException($"invalid taint spec: {spec}");
            }

            if (add.Any(t => t.Key == added.Key && t.Effect == added.Effect))
            {
                // kubectl prints the Go struct: {key value effect <nil>}.
                throw new FormatException($"duplicated taints with the same key and effect: {{{added.Key} {added.Value} {added.Effect} <nil>}}");
            }

            add.Add(added);
        }

        return (add, remove);
    }

    /// <summary>kubectl's Validate: a taint may not be both set and removed in one command.</summary>
    public static string? Conflicts(IReadOnlyList<Taint> add, IReadOnlyList<Taint> remove)
    {
        var conflicts = new List<string>();
        foreach (var added in add)
        {
            foreach (var removed in remove)
            {
                if (added.Key == removed.Key && (removed.Effect.Length == 0 || added.Effect == removed.Effect))
                {
                    conflicts.Add($"{removed.Key}={removed.Effect}");
                }
            }
        }

        return conflicts.Count == 0 ? null : $"can not both modify and remove the following taint(s) in the same command: {string.Join(", ", conflicts)}";
    }

    /// <summary>One taint: <c>key=value:effect</c>, <c>key:effect</c> or <c>key</c>.</summary>
    private static Taint ParseOne(string spec)
    {
        var parts = spec.Split(':');
        string key;
        var value = "";
        var effect = "";
        switch (parts.Length)
        {
            case 1:
                key = parts[0];
                break;
            case 2:
                effect = parts[1];
                if (!s_effects.Contains(effect))
                {
                    throw new FormatException($"invalid taint effect: {effect}, unsupported taint effect");
                }

                var keyValue = parts[0].Split('=');
                if (keyValue.Length > 2)
                {
                    throw new FormatException($"invalid taint spec: {spec}");
                }

                key = keyValue[0];
                if (keyValue.Length == 2)
                {
                    value = keyValue[1];
                    if (!NameValidation.IsLabelValue(value))
                    {
                        throw new FormatException($"invalid taint spec: {spec}, {NameValidation.LabelValueMessage}");
                    }
                }

                break;
            default:
                throw new FormatException($"invalid taint spec: {spec}");
        }

        if (NameValidation.CheckQualifiedName(key) is { } problem)
        {
            throw new FormatException($"invalid taint spec: {spec}, {problem}");
        }

        return new Taint { Key = key, Value = value, Effect = effect };
    }
}
