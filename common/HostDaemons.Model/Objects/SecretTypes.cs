namespace HostDaemons.Model.Objects;

/// <summary>Kubernetes' built-in Secret types, and the data keys the registry credential types require.</summary>
public static class SecretTypes
{
    public const string Opaque = "Opaque";

    /// <summary>A <c>~/.docker/config.json</c>: <c>{"auths": {"server": {"username", "password", "auth"}}}</c> under <see cref="DockerConfigJsonKey"/>.</summary>
    public const string DockerConfigJson = "kubernetes.io/dockerconfigjson";

    public const string DockerConfigJsonKey = ".dockerconfigjson";

    /// <summary>The legacy <c>~/.dockercfg</c>: the map of servers without the <c>auths</c> wrapper, under <see cref="DockerCfgKey"/>.</summary>
    public const string DockerCfg = "kubernetes.io/dockercfg";

    public const string DockerCfgKey = ".dockercfg";

    /// <summary>The largest total size of a secret's data, as Kubernetes limits it.</summary>
    public const int MaxSize = 1024 * 1024;
}
