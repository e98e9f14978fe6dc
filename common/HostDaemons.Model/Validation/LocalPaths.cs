namespace HostDaemons.Model.Validation;

/// <summary>Kubernetes' checks of paths inside a volume, a mount or the node's profile directories, and of file modes.</summary>
internal static class LocalPaths
{
    public const string FileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive";

    /// <summary>validatePathNoBacksteps: no <c>..</c> element.</summary>
    public static void CheckNoBacksteps(string value, string path, ValidationErrors errors)
    {
        if (value.Split('/').Contains(".."))
        {
            errors.Invalid(path, value, "must not contain '..'");
        }
    }

    /// <summary>validateLocalDescendingPath: relative and without <c>..</c> elements.</summary>
    public static void CheckDescending(string value, string path, ValidationErrors errors)
    {
        if (value.StartsWith('/'))
        {
            errors.Invalid(path, value, "must be a relative path");
        }

        CheckNoBacksteps(value, path, errors);
    }

    /// <summary>
    /// ValidateLocalNonReservedPath: a descending path that does not start with <c>..</c> either, since the kubelet
    /// keeps <c>..data</c> and its timestamped directories there.
    /// </summary>
    public static void CheckNonReserved(string value, string path, ValidationErrors errors)
    {
        CheckDescending(value, path, errors);
        if (value.StartsWith("..", StringComparison.Ordinal) && !value.StartsWith("../", StringComparison.Ordinal))
        {
            errors.Invalid(path, value, "must not start with '..'");
        }
    }

    public static void CheckFileMode(int? mode, string path, ValidationErrors errors)
    {
        if (mode is < 0 or > 511)
        {
            errors.Invalid(path, mode, FileModeMessage);
        }
    }
}
