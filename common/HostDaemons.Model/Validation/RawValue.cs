namespace HostDaemons.Model.Validation;

/// <summary>A bad value printed as it stands (not quoted), as Kubernetes prints lists and structs with Go's formatting.</summary>
internal sealed record RawValue(string Text)
{
    public override string ToString() => Text;
}
