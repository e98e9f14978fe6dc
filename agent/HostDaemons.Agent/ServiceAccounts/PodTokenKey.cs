namespace HostDaemons.Agent.ServiceAccounts;

/// <summary>One token a pod uses: its audience (empty: the API server's) and the lifetime asked for.</summary>
internal readonly record struct PodTokenKey(string Audience, long ExpirationSeconds);
