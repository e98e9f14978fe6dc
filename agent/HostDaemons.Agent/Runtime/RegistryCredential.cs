namespace HostDaemons.Agent.Runtime;

/// <summary>
/// What an image pull authenticates with: one server's entry of an image pull secret. <see cref="Server"/> is the key
/// as written (<c>registry.example.com:5000</c>, <c>https://index.docker.io/v1/</c>). <see cref="ToString"/> never
/// shows the password, so the record can be logged.
/// </summary>
internal sealed record RegistryCredential(string Server, string Username, string Password, string Source = "")
{
    public override string ToString() => Source.Length == 0 ? $"{Server} ({Username})" : $"{Server} ({Username}, from secret {Source})";
}
