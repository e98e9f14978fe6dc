namespace HostDaemons.Agent.Volumes;

/// <summary>One file of a projected volume: its content and its permission bits (0644 is 420).</summary>
internal sealed record FileProjection(byte[] Data, int Mode)
{
    public static FileProjection Text(string text, int mode) => new(System.Text.Encoding.UTF8.GetBytes(text), mode);

    public bool Equals(FileProjection? other) => other is not null && Mode == other.Mode && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(Mode, Data.Length);
}
