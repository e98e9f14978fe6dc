using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HostDaemons.Model.Security;

namespace HostDaemons.Cli.Client;

/// <summary>
/// Finds hdctl's credentials as PRODUCT.md promises: <c>--kubeconfig FILE</c>, else the first existing file of
/// <c>$KUBECONFIG</c>, else <c>~/.hostdaemons/config</c>, else <c>/etc/hostdaemons/admin.conf</c>; from it the current
/// context's cluster (<c>server</c>, <c>certificate-authority-data</c> or <c>certificate-authority</c>) and user
/// (<c>client-certificate-data</c>/<c>client-key-data</c> or the files, or <c>token</c>/<c>tokenFile</c>).
/// <c>--server</c> (or <c>HOSTDAEMONS_SERVER</c>) overrides the server; an <c>http://</c> one (the loopback
/// development mode) needs no kubeconfig, so the default files are not looked for, and credentials are never sent
/// over plaintext. Messages are kubectl's where it has them.
/// </summary>
internal static class KubeconfigLoader
{
    public const string KubeconfigVariable = "KUBECONFIG";
    public const string SystemFile = "/etc/hostdaemons/admin.conf";

    /// <summary>Where no kubeconfig and no server is given: the development-mode control plane on this host.</summary>
    public const string DefaultServer = "http://127.0.0.1:7070";

    public static ConnectionSettings Resolve(string? serverOverride, string? kubeconfigFlag, Func<string, string?> variable, string systemFile = SystemFile)
    {
        var plaintext = serverOverride is not null && serverOverride.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
        var path = Locate(kubeconfigFlag, variable, searchDefaults: !plaintext, systemFile);
        if (path is null)
        {
            return ConnectionSettings.Plaintext(serverOverride ?? DefaultServer) with { Source = null };
        }

        var config = Load(path);
        var settings = FromConfig(config, serverOverride);
        return plaintext ? ConnectionSettings.Plaintext(settings.Server) with { Source = path } : settings;
    }

    /// <summary>The kubeconfig to read, or null when there is none.</summary>
    public static string? Locate(string? kubeconfigFlag, Func<string, string?> variable, bool searchDefaults, string systemFile = SystemFile)
    {
        if (!string.IsNullOrEmpty(kubeconfigFlag))
        {
            return File.Exists(kubeconfigFlag) || Directory.Exists(kubeconfigFlag)
                ? kubeconfigFlag
                : throw new CliException($"error: stat {kubeconfigFlag}: no such file or directory");
        }

        if (variable(KubeconfigVariable) is { Length: > 0 } list)
        {
            // kubectl merges every file of the list; hdctl uses the first that exists (missing ones are skipped, as in kubectl).
            return list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists);
        }

        if (!searchDefaults)
        {
            return null;
        }

        if (variable("HOME") is { Length: > 0 } home && Path.Combine(home, ".hostdaemons", "config") is var user && File.Exists(user))
        {
            return user;
        }

        return File.Exists(systemFile) ? systemFile : null;
    }

    public static Kubeconfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex switch
            {
                UnauthorizedAccessException => "permission denied",
                DirectoryNotFoundException or FileNotFoundException => "no such file or directory",
                _ when Directory.Exists(path) => "is a directory",
                _ => ex.Message,
            };
            throw Kubeconfig.Invalid(path, $"open {path}: {reason}");
        }

        return Kubeconfig.Parse(path, text);
    }

    /// <summary>The current context's server and credentials.</summary>
    public static ConnectionSettings FromConfig(Kubeconfig config, string? serverOverride)
    {
        if (string.IsNullOrEmpty(config.CurrentContext))
        {
            if (serverOverride is not null)
            {
                return ConnectionSettings.Plaintext(serverOverride) with { Source = config.Path };
            }

            throw new CliException($"error: no context is chosen in {config.Path} (current-context is not set)");
        }

        if (!config.Contexts.TryGetValue(config.CurrentContext, out var context))
        {
            throw new CliException($"error: context was not found for specified context: {config.CurrentContext}");
        }

        var errors = new List<string>();
        KubeconfigCluster? cluster = null;
        KubeconfigUser? user = null;
        if (string.IsNullOrEmpty(context.Cluster))
        {
            errors.Add($"cluster was not specified for context \"{config.CurrentContext}\"");
        }
        else if (!config.Clusters.TryGetValue(context.Cluster, out cluster))
        {
            errors.Add($"cluster \"{context.Cluster}\" was not found for context \"{config.CurrentContext}\"");
        }

        if (!string.IsNullOrEmpty(context.User) && !config.Users.TryGetValue(context.User, out user))
        {
            errors.Add($"user \"{context.User}\" was not found for context \"{config.CurrentContext}\"");
        }

        var server = serverOverride ?? cluster?.Server;
        if (cluster is not null && string.IsNullOrEmpty(server))
        {
            errors.Add($"no server found for cluster \"{context.Cluster}\"");
        }

        if (cluster is { InsecureSkipTlsVerify: true })
        {
            errors.Add($"insecure-skip-tls-verify is not supported for cluster \"{context.Cluster}\": give its certificate-authority-data");
        }

        if (errors.Count > 0)
        {
            throw new CliException("error: invalid configuration: " + (errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]"));
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(config.Path)) ?? ".";
        return new ConnectionSettings(
            server!,
            Authorities(cluster!, context.Cluster!, directory),
            user is null ? null : ClientCertificate(user, context.User!, directory),
            user is null ? null : Token(user, context.User!, directory),
            cluster!.TlsServerName,
            config.Path);
    }

    private static X509Certificate2Collection Authorities(KubeconfigCluster cluster, string name, string directory)
    {
        var pem = cluster.CertificateAuthorityData is { } data
            ? Decode(data, $"certificate-authority-data of cluster \"{name}\"")
            : cluster.CertificateAuthority is { } file ? ReadReferenced(file, directory, $"unable to read certificate-authority {file} for {name} due to") : null;
        if (pem is null)
        {
            return [];
        }

        var bundle = CertificateTrust.ReadBundle(pem);
        return bundle.Count > 0 ? bundle : throw new CliException($"error: unable to load root certificates: unable to parse bytes as PEM block (cluster \"{name}\")");
    }

    private static X509Certificate2? ClientCertificate(KubeconfigUser user, string name, string directory)
    {
        var certificate = user.ClientCertificateData is { } certData
            ? Decode(certData, $"client-certificate-data of user \"{name}\"")
            : user.ClientCertificate is { } certFile ? ReadReferenced(certFile, directory, $"unable to read client-cert {certFile} for {name} due to") : null;
        var key = user.ClientKeyData is { } keyData
            ? Decode(keyData, $"client-key-data of user \"{name}\"")
            : user.ClientKey is { } keyFile ? ReadReferenced(keyFile, directory, $"unable to read client-key {keyFile} for {name} due to") : null;
        if (certificate is null && key is null)
        {
            return null;
        }

        if (certificate is null || key is null)
        {
            throw new CliException($"error: invalid configuration: client-key-data or client-key must be specified for {name} to use the clientCert authentication method.");
        }

        try
        {
            return X509Certificate2.CreateFromPem(certificate, key);
        }
        catch (CryptographicException ex)
        {
            throw new CliException($"error: tls: the client certificate and key of user \"{name}\" cannot be used: {ex.Message}");
        }
    }

    private static string? Token(KubeconfigUser user, string name, string directory) =>
        user.Token ?? (user.TokenFile is { } file ? ReadReferenced(file, directory, $"unable to read tokenFile {file} for {name} due to").Trim() : null);

    private static string Decode(string base64, string what)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw new CliException($"error: {what} is not valid base64");
        }
    }

    private static string ReadReferenced(string file, string directory, string failure)
    {
        var path = Path.IsPathRooted(file) ? file : Path.Combine(directory, file);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex is UnauthorizedAccessException ? "permission denied" : ex is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : ex.Message;
            throw new CliException($"error: invalid configuration: {failure} open {path}: {reason}");
        }
    }
}
