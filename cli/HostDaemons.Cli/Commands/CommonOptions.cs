using System.CommandLine;

namespace HostDaemons.Cli.Commands;

/// <summary>Options several commands share, named as kubectl names them.</summary>
internal static class CommonOptions
{
    public static Option<string?> Namespace() => new("--namespace", "-n")
    {
        Description = "The namespace of the objects (default: default)",
    };

    public static Option<string[]> Filenames(string description) => new("--filename", "-f")
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> FieldSelector() => new("--field-selector")
    {
        Description = "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). "
            + "The server only supports a limited number of field queries per type.",
    };

    public static string EffectiveNamespace(string? value) => string.IsNullOrEmpty(value) ? "default" : value;

    /// <summary>Names and labels never start with '-': such a value is a flag the command does not have.</summary>
    public static Argument<string[]> RejectingFlags(this Argument<string[]> argument)
    {
        argument.Validators.Add(result =>
        {
            if (result.Tokens.Select(t => t.Value).FirstOrDefault(v => v.Length > 1 && v.StartsWith('-')) is { } flag)
            {
                result.AddError($"unknown flag: {flag}");
            }
        });
        return argument;
    }
}
