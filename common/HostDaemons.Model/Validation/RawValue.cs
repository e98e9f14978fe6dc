namespace HostDaemons.Model.Validation;

/// <summary>A bad value printed as it stands (not quoted), as Kubernetes prints lists and structs with Go's formatting.</summary>
internal sealed record RawValue(string Text)
{
    public override string ToString() => Text;
}

/// <summary>Go's <c>%v</c> and <c>%#v</c> of the values Kubernetes' messages print.</summary>
internal static class GoFormat
{
    /// <summary><c>%#v</c> of a <c>[]string</c>: <c>[]string{"/metrics", "/healthz"}</c>.</summary>
    public static string StringSlice(IEnumerable<string> values) => "[]string{" + string.Join(", ", values.Select(v => $"\"{v}\"")) + "}";
}
