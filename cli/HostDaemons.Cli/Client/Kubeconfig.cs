using HostDaemons.Model.Serialization;

namespace HostDaemons.Cli.Client;

/// <summary>
/// A kubeconfig file as kubectl reads it (<c>apiVersion: v1</c>, <c>kind: Config</c>): named clusters, users and
/// contexts, and the current context. Read with the model's YAML reader (no reflection, so Native AOT keeps it);
/// keys hdctl does not use are ignored, as kubectl ignores them.
/// </summary>
internal sealed record Kubeconfig(
    string Path,
    string? CurrentContext,
    IReadOnlyDictionary<string, KubeconfigCluster> Clusters,
    IReadOnlyDictionary<string, KubeconfigContext> Contexts,
    IReadOnlyDictionary<string, KubeconfigUser> Users)
{
    /// <summary>Reads <paramref name="text"/>, the content of <paramref name="path"/>; throws <see cref="CliException"/> worded as kubectl's loader.</summary>
    public static Kubeconfig Parse(string path, string text)
    {
        var documents = ManifestParser.Parse(text);
        if (documents.FirstOrDefault(d => d.SyntaxError is not null)?.SyntaxError is { } syntax)
        {
            throw Invalid(path, $"yaml: line {syntax.Position.Line}: {syntax.Message.Replace("YAML syntax error: ", "", StringComparison.Ordinal)}");
        }

        var root = documents.Count > 0 ? documents[0].Root : null;
        if (root is null or ScalarNode { IsNull: true })
        {
            return new Kubeconfig(path, null, new Dictionary<string, KubeconfigCluster>(), new Dictionary<string, KubeconfigContext>(), new Dictionary<string, KubeconfigUser>());
        }

        if (root is not MappingNode config)
        {
            throw Invalid(path, $"line {root.Position.Line}: a kubeconfig is a mapping (apiVersion, kind, clusters, contexts, users)");
        }

        if (config.FindString("kind") is { } kind && kind != "Config")
        {
            throw Invalid(path, $"line {config.Find("kind")!.Position.Line}: kind is \"{kind}\", not Config");
        }

        return new Kubeconfig(
            path,
            Scalar(path, config, "current-context"),
            Named(path, config, "clusters", "cluster", m => new KubeconfigCluster(
                Scalar(path, m, "server"), Scalar(path, m, "certificate-authority"), Scalar(path, m, "certificate-authority-data"),
                Scalar(path, m, "insecure-skip-tls-verify") == "true", Scalar(path, m, "tls-server-name"))),
            Named(path, config, "contexts", "context", m => new KubeconfigContext(
                Scalar(path, m, "cluster"), Scalar(path, m, "user"), Scalar(path, m, "namespace"))),
            Named(path, config, "users", "user", m => new KubeconfigUser(
                Scalar(path, m, "client-certificate"), Scalar(path, m, "client-certificate-data"),
                Scalar(path, m, "client-key"), Scalar(path, m, "client-key-data"),
                Scalar(path, m, "token"), Scalar(path, m, "tokenFile"))));
    }

    /// <summary><c>error loading config file "PATH": REASON</c>, kubectl's words for a file it cannot use.</summary>
    public static CliException Invalid(string path, string reason) => new($"error: error loading config file \"{path}\": {reason}");

    /// <summary>A list of <c>{name: N, KEY: {...}}</c> entries, by name; the first of a name wins, as in kubectl.</summary>
    private static Dictionary<string, T> Named<T>(string path, MappingNode config, string list, string key, Func<MappingNode, T> read)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        switch (config.Find(list))
        {
            case null or ScalarNode { IsNull: true }:
                return result;
            case SequenceNode sequence:
                foreach (var item in sequence.Items)
                {
                    if (item is not MappingNode entry || Scalar(path, entry, "name") is not { } name)
                    {
                        throw Invalid(path, $"line {item.Position.Line}: each entry of {list} needs a name");
                    }

                    var body = entry.Find(key) switch
                    {
                        null or ScalarNode { IsNull: true } => new MappingNode(entry.Position, []),
                        MappingNode mapping => mapping,
                        var other => throw Invalid(path, $"line {other.Position.Line}: {list}[{name}].{key} must be a mapping"),
                    };
                    result.TryAdd(name, read(body));
                }

                return result;
            case var other:
                throw Invalid(path, $"line {other.Position.Line}: {list} must be a list");
        }
    }

    private static string? Scalar(string path, MappingNode mapping, string key) => mapping.Find(key) switch
    {
        null or ScalarNode { IsNull: true } => null,
        ScalarNode scalar => scalar.Value,
        var other => throw Invalid(path, $"line {other.Position.Line}: {key} must be a single value"),
    };
}

internal sealed record KubeconfigCluster(string? Server, string? CertificateAuthority, string? CertificateAuthorityData, bool InsecureSkipTlsVerify, string? TlsServerName);

internal sealed record KubeconfigContext(string? Cluster, string? User, string? Namespace);

internal sealed record KubeconfigUser(string? ClientCertificate, string? ClientCertificateData, string? ClientKey, string? ClientKeyData, string? Token, string? TokenFile);
