using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HostDaemons.Cli.Client;

namespace HostDaemons.Cli.Tests.Client;

public sealed class KubeconfigLoaderTests : IDisposable
{
    private readonly TempDirectory _temp = new("kubeconfig");
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly ECDsa _clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _client;

    public KubeconfigLoaderTests()
    {
        var ca = new CertificateRequest("CN=hostdaemons-ca", _caKey, HashAlgorithmName.SHA256);
        ca.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _ca = ca.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        _client = new CertificateRequest("O=system:masters, CN=admin", _clientKey, HashAlgorithmName.SHA256)
            .Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), [7]);
    }

    private string SystemFile => _temp.Combine("etc-admin.conf");

    [Fact]
    public void Resolve_AdminConf_GivesServerCaAndClientCertificate()
    {
        var path = Write("admin.conf", AdminConf("https://127.0.0.1:7443"));

        var settings = Resolve(null, path);

        Assert.Equal(("https://127.0.0.1:7443", path), (settings.Server, settings.Source));
        Assert.Equal(_ca.Thumbprint, Assert.Single(settings.Authorities).Thumbprint);
        Assert.Equal(_client.Thumbprint, settings.ClientCertificate!.Thumbprint);
        Assert.True(settings.ClientCertificate.HasPrivateKey);
        Assert.Null(settings.Token);
    }

    [Fact]
    public void Resolve_SearchOrder_FlagThenKubeconfigVariableThenHomeThenSystemFile()
    {
        var flag = Write("flag.conf", AdminConf("https://flag:1"));
        var variable = Write("variable.conf", AdminConf("https://variable:1"));
        Directory.CreateDirectory(_temp.Combine("home", ".hostdaemons"));
        Write(Path.Combine("home", ".hostdaemons", "config"), AdminConf("https://home:1"));
        File.WriteAllText(SystemFile, AdminConf("https://system:1"));
        var missing = _temp.Combine("missing.conf");

        Assert.Equal("https://flag:1", Resolve(null, flag, ("KUBECONFIG", variable), ("HOME", _temp.Combine("home"))).Server);
        Assert.Equal("https://variable:1", Resolve(null, null, ("KUBECONFIG", $"{missing}:{variable}"), ("HOME", _temp.Combine("home"))).Server);
        Assert.Equal("https://home:1", Resolve(null, null, ("HOME", _temp.Combine("home"))).Server);
        Assert.Equal("https://system:1", Resolve(null, null, ("HOME", _temp.Combine("nohome"))).Server);
    }

    [Fact]
    public void Resolve_NothingAnywhere_IsTheDevelopmentServer()
    {
        var settings = Resolve(null, null, ("HOME", _temp.Combine("nohome")));

        Assert.Equal(("http://127.0.0.1:7070", (string?)null), (settings.Server, settings.Source));
    }

    [Fact]
    public void Resolve_KubeconfigVariableOfMissingFilesOnly_FindsNothing()
    {
        File.WriteAllText(SystemFile, AdminConf("https://system:1"));

        var settings = Resolve(null, null, ("KUBECONFIG", _temp.Combine("a") + ":" + _temp.Combine("b")));

        Assert.Equal(KubeconfigLoader.DefaultServer, settings.Server);
    }

    [Fact]
    public void Resolve_PlaintextServerFlag_NeedsNoKubeconfigAndSendsNoCredentials()
    {
        File.WriteAllText(SystemFile, AdminConf("https://system:1"));
        var explicitConfig = Write("admin.conf", AdminConf("https://127.0.0.1:7443"));

        var plain = Resolve("http://127.0.0.1:7070", null);
        var overridden = Resolve("http://127.0.0.1:7070", explicitConfig);

        Assert.Equal(("http://127.0.0.1:7070", (string?)null), (plain.Server, plain.Source));
        Assert.Equal(("http://127.0.0.1:7070", (X509Certificate2?)null, 0), (overridden.Server, overridden.ClientCertificate, overridden.Authorities.Count));
    }

    [Fact]
    public void Resolve_HttpsServerFlag_KeepsTheKubeconfigsCredentials()
    {
        var path = Write("admin.conf", AdminConf("https://127.0.0.1:7443"));

        var settings = Resolve("https://localhost:7443", path);

        Assert.Equal("https://localhost:7443", settings.Server);
        Assert.NotNull(settings.ClientCertificate);
    }

    [Fact]
    public void Resolve_MissingKubeconfigFlag_IsKubectlsStatError()
    {
        var missing = _temp.Combine("nope.conf");

        var error = Assert.Throws<CliException>(() => Resolve(null, missing));

        Assert.Equal($"error: stat {missing}: no such file or directory", error.Message);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Resolve_UnreadableKubeconfig_IsErrorLoadingConfigFile()
    {
        var path = Write("admin.conf", AdminConf("https://127.0.0.1:7443"));
        File.SetUnixFileMode(path, UnixFileMode.None);
        if (Environment.UserName == "root")
        {
            // root reads anything: a directory stands in for a file that cannot be read.
            path = _temp.Combine("a-directory");
            Directory.CreateDirectory(path);
        }

        var error = Assert.Throws<CliException>(() => Resolve(null, path));

        Assert.StartsWith($"error: error loading config file \"{path}\": open {path}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_YamlSyntaxError_NamesTheFileAndLine()
    {
        var path = Write("bad.conf", "apiVersion: v1\nclusters: [\n");

        var error = Assert.Throws<CliException>(() => Resolve(null, path));

        Assert.StartsWith($"error: error loading config file \"{path}\": yaml: line ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("current-context: nope\ncontexts: []\n", "error: context was not found for specified context: nope")]
    [InlineData("current-context: c\ncontexts:\n- name: c\n  context: {cluster: x, user: u}\nusers:\n- name: u\n  user: {}\n", "error: invalid configuration: cluster \"x\" was not found for context \"c\"")]
    [InlineData("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: nobody}\nclusters:\n- name: k\n  cluster: {server: \"https://a:1\"}\n", "error: invalid configuration: user \"nobody\" was not found for context \"c\"")]
    [InlineData("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k}\nclusters:\n- name: k\n  cluster: {certificate-authority: ca.crt}\n", "error: invalid configuration: no server found for cluster \"k\"")]
    [InlineData("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k}\nclusters:\n- name: k\n  cluster: {server: \"https://a:1\", insecure-skip-tls-verify: true}\n", "error: invalid configuration: insecure-skip-tls-verify is not supported for cluster \"k\": give its certificate-authority-data")]
    [InlineData("contexts: []\n", "error: no context is chosen in {0} (current-context is not set)")]
    [InlineData("clusters: {a: b}\n", "error: error loading config file \"{0}\": line 1: clusters must be a list")]
    [InlineData("kind: Pod\n", "error: error loading config file \"{0}\": line 1: kind is \"Pod\", not Config")]
    public void Resolve_BrokenConfig_SaysWhatKubectlSays(string text, string expected)
    {
        var path = Write("broken.conf", text);

        var error = Assert.Throws<CliException>(() => Resolve(null, path));

        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, path), error.Message);
    }

    [Fact]
    public void Resolve_FileReferences_AreReadRelativeToTheKubeconfig()
    {
        Write("ca.crt", _ca.ExportCertificatePem());
        Write("admin.crt", _client.ExportCertificatePem());
        Write("admin.key", _clientKey.ExportPkcs8PrivateKeyPem());
        var path = Write("files.conf", """
            apiVersion: v1
            kind: Config
            current-context: c
            clusters:
            - name: k
              cluster: {server: "https://a:1", certificate-authority: ca.crt}
            contexts:
            - name: c
              context: {cluster: k, user: u}
            users:
            - name: u
              user: {client-certificate: admin.crt, client-key: admin.key}
            """);

        var settings = Resolve(null, path);

        Assert.Equal(_ca.Thumbprint, Assert.Single(settings.Authorities).Thumbprint);
        Assert.Equal(_client.Thumbprint, settings.ClientCertificate!.Thumbprint);
    }

    [Fact]
    public void Resolve_MissingCertificateAuthorityFile_SaysWhichAndWhy()
    {
        var path = Write("files.conf", "current-context: c\ncontexts:\n- name: c\n  context: {cluster: k}\nclusters:\n- name: k\n  cluster: {server: \"https://a:1\", certificate-authority: gone.crt}\n");

        var error = Assert.Throws<CliException>(() => Resolve(null, path));

        Assert.Equal($"error: invalid configuration: unable to read certificate-authority gone.crt for k due to open {_temp.Combine("gone.crt")}: no such file or directory", error.Message);
    }

    [Fact]
    public void Resolve_TokenUser_CarriesTheToken()
    {
        Write("token", "s3cret\n");
        var path = Write("token.conf", "current-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\nclusters:\n- name: k\n  cluster: {server: \"https://a:1\"}\nusers:\n- name: u\n  user: {tokenFile: token}\n");

        var settings = Resolve(null, path);

        Assert.Equal(("s3cret", (X509Certificate2?)null), (settings.Token, settings.ClientCertificate));
    }

    [Fact]
    public void Resolve_CertificateWithoutKey_IsKubectlsMessage()
    {
        var path = Write("nokey.conf", $"current-context: c\ncontexts:\n- name: c\n  context: {{cluster: k, user: u}}\nclusters:\n- name: k\n  cluster: {{server: \"https://a:1\"}}\nusers:\n- name: u\n  user: {{client-certificate-data: {Base64(_client.ExportCertificatePem())}}}\n");

        var error = Assert.Throws<CliException>(() => Resolve(null, path));

        Assert.Equal("error: invalid configuration: client-key-data or client-key must be specified for u to use the clientCert authentication method.", error.Message);
    }

    [Fact]
    public async Task Hdctl_KubeconfigFlagOfAMissingFile_FailsWithKubectlsMessage()
    {
        var missing = _temp.Combine("nope.conf");

        var (code, _, error) = await HdctlRunner.RunAsync("get", "nodes", "--kubeconfig", missing, "--server", "https://127.0.0.1:1");

        Assert.Equal((1, $"error: stat {missing}: no such file or directory\n"), (code, error));
    }

    private ConnectionSettings Resolve(string? server, string? kubeconfig, params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return KubeconfigLoader.Resolve(server, kubeconfig, name => map.GetValueOrDefault(name), SystemFile);
    }

    private string Write(string name, string text)
    {
        var path = _temp.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private string AdminConf(string server) => $"""
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: {Base64(_ca.ExportCertificatePem())}
            server: {server}
          name: hostdaemons
        contexts:
        - context:
            cluster: hostdaemons
            user: admin
          name: admin@hostdaemons
        current-context: admin@hostdaemons
        kind: Config
        preferences: {"{}"}
        users:
        - name: admin
          user:
            client-certificate-data: {Base64(_client.ExportCertificatePem())}
            client-key-data: {Base64(_clientKey.ExportECPrivateKeyPem())}
        """;

    private static string Base64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));

    public void Dispose()
    {
        _client.Dispose();
        _ca.Dispose();
        _clientKey.Dispose();
        _caKey.Dispose();
        _temp.Dispose();
    }
}
