namespace HostDaemons.Model.Labels;

/// <summary>One term of a field selector: the field equals (or, with <see cref="NotEquals"/>, differs from) the value.</summary>
public sealed record FieldRequirement(string Field, bool NotEquals, string Value)
{
    public override string ToString() =>
        $"{Field}{(NotEquals ? "!=" : "=")}{Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal)}";
}
