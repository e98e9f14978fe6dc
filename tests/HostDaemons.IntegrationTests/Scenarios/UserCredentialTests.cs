using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HostDaemons.IntegrationTests.Infrastructure;
using HostDaemons.Model.Security;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// People's credentials over TLS: <c>hdctl kubeconfig user</c> prints a kubeconfig whose certificate names the user and
/// groups asked for (and never a node), and <c>--token-auth-file</c> tokens work in a kubeconfig until their line is
/// removed. Who the control plane took each caller for is read from its audit log (RBAC decides what they may do).
/// </summary>
public sealed class UserCredentialTests : IDisposable
{
    private const string TaraToken = "tara-0123456789abcdef0123456789abcdef";
    private const string OmarToken = "omar-fedcba9876543210fedcba9876543210";

    private readonly TempDirectory _directory = new("hd-users");

    [Fact]
    public async Task KubeconfigUser_VivInViewers_KubeconfigWorksAsVivWithThoseGroups()
    {
        var audit = new AuditLogFile(_directory.Combine("audit.log"));
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"), flags: ["--audit-log-path", audit.Path]);

        var admin = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        await admin.RunWithInputAsync("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: viewers-view}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: viewers}]
            """, "apply", "-f", "-");
        var printed = await admin.OkAsync("kubeconfig", "user", "--client-name", "viv", "--org", "viewers", "--validity-period", "24h");
        var kubeconfig = _directory.Combine("viv.conf");
        await File.WriteAllTextAsync(kubeconfig, printed, TestContext.Current.CancellationToken);
        var asViv = await Hdctl.WithKubeconfig(kubeconfig).RunAsync("get", "namespaces");

        Assert.True(asViv.ExitCode == 0, asViv.Error);
        Assert.Contains("current-context: viv@hostdaemons", printed, StringComparison.Ordinal);
        Assert.Contains($"server: {controlPlane.Url}", printed, StringComparison.Ordinal);
        using var certificate = CertificateIn(printed);
        Assert.Equal("CN=viv, O=viewers", certificate.Subject);
        Assert.Equal("CN=hostdaemons-ca", certificate.Issuer);
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.InRange(certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromHours(23), TimeSpan.FromHours(24));

        var list = await audit.WaitForAsync(l => AuditLogFile.User(l) == "viv" && AuditLogFile.Verb(l) == "list", "viv's list in the audit log");
        Assert.Equal(["viewers", "system:authenticated"], AuditLogFile.Groups(list));
        Assert.Equal(200, AuditLogFile.Code(list));
        Assert.Equal("namespaces", (string?)list["objectRef"]?["resource"]);
        var issued = await audit.WaitForAsync(l => (string?)l["objectRef"]?["resource"] == "certificatesigningrequests" && l["annotations"]?["hostdaemons.io/certificate-serial"] is not null,
            "the issued certificate in the audit log");
        Assert.Equal(("admin", certificate.SerialNumber, "CN=viv, O=viewers"),
            (AuditLogFile.User(issued), AuditLogFile.Annotation(issued, "hostdaemons.io/certificate-serial"), AuditLogFile.Annotation(issued, "hostdaemons.io/certificate-subject")));
        Assert.DoesNotContain(KeyDataIn(printed), audit.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("system:node:web-01", "viewers", "is a node's name")]
    [InlineData("mallory", "system:nodes", "is the nodes' group")]
    public async Task KubeconfigUser_NodeIdentity_Refused(string name, string group, string message)
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));

        var result = await Hdctl.WithKubeconfig(controlPlane.AdminConf).RunAsync("kubeconfig", "user", "--client-name", name, "--org", group);

        Assert.Equal((1, ""), (result.ExitCode, result.Output));
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubeconfigUser_CallerNotAdministrator_ForbiddenAndAudited()
    {
        var audit = new AuditLogFile(_directory.Combine("audit.log"));
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"), flags: ["--audit-log-path", audit.Path]);
        var kubeconfig = _directory.Combine("viv.conf");
        await File.WriteAllTextAsync(kubeconfig, await Hdctl.WithKubeconfig(controlPlane.AdminConf).OkAsync("kubeconfig", "user", "--client-name", "viv", "--org", "viewers"),
            TestContext.Current.CancellationToken);

        var result = await Hdctl.WithKubeconfig(kubeconfig).RunAsync("kubeconfig", "user", "--client-name", "eve", "--org", "system:masters");

        Assert.Equal((1, ""), (result.ExitCode, result.Output));
        Assert.Contains("User \"viv\" cannot create resource \"certificatesigningrequests\" in API group \"certificates.k8s.io\"", result.Error, StringComparison.Ordinal);
        var denied = await audit.WaitForAsync(l => AuditLogFile.User(l) == "viv" && AuditLogFile.Code(l) == 403, "viv's refused issue in the audit log");
        Assert.Equal(("create", "forbid"), (AuditLogFile.Verb(denied), AuditLogFile.Annotation(denied, "authorization.k8s.io/decision")));
    }

    [Fact]
    public async Task TokenAuthFile_TokenInKubeconfig_Works_LineRemoved_RevokedWithinSeconds()
    {
        var tokens = _directory.Combine("tokens.csv");
        await File.WriteAllTextAsync(tokens, $"{TaraToken},tara,1001,\"ops,viewers\"\n{OmarToken},omar,1002\n", TestContext.Current.CancellationToken);
        var audit = new AuditLogFile(_directory.Combine("audit.log"));
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"), flags: ["--token-auth-file", tokens, "--audit-log-path", audit.Path]);
        var tara = Hdctl.WithKubeconfig(WriteTokenKubeconfig(controlPlane, "tara", TaraToken));
        var omar = Hdctl.WithKubeconfig(WriteTokenKubeconfig(controlPlane, "omar", OmarToken));

        var before = await tara.RunAsync("auth", "whoami");
        var line = await audit.WaitForAsync(l => AuditLogFile.User(l) == "tara", "tara's call in the audit log");
        await File.WriteAllTextAsync(tokens, $"{OmarToken},omar,1002\n", TestContext.Current.CancellationToken);
        var removed = Stopwatch.StartNew();
        HdctlResult? after = null;
        await AsyncTestHelpers.WaitUntilAsync(async () => (after = await tara.RunAsync("auth", "whoami")).ExitCode != 0,
            "tara's token to stop working once its line is gone", TimeSpan.FromSeconds(10));
        removed.Stop();

        Assert.True(before.ExitCode == 0, before.Error);
        Assert.Equal(["ops", "viewers", "system:authenticated"], AuditLogFile.Groups(line));
        Assert.StartsWith("error: You must be logged in to the server (Unauthorized)", after!.Error, StringComparison.Ordinal);
        Assert.InRange(removed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal(0, (await omar.RunAsync("auth", "whoami")).ExitCode);
        await audit.WaitForAsync(l => AuditLogFile.Code(l) == 401, "the refused token in the audit log");
        Assert.DoesNotContain(TaraToken, audit.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(OmarToken, audit.Text, StringComparison.Ordinal);
        TestContext.Current.SendDiagnosticMessage($"token revoked {removed.ElapsedMilliseconds} ms after its line was removed");
    }

    [Fact]
    public async Task TokenAuthFile_ShortToken_ControlPlaneRefusesToStartWithTheLine()
    {
        var tokens = _directory.Combine("tokens.csv");
        await File.WriteAllTextAsync(tokens, $"{TaraToken},tara,1001\ntoo-short,bob,1002\n", TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "hostdaemons-controlplane"),
            ["--listen", "https://127.0.0.1:7071", "--data-dir", _directory.Combine("cp"), "--token-auth-file", tokens])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);

        await process.WaitForExitAsync(TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(2, process.ExitCode);
        Assert.Equal($"hostdaemons-controlplane: --token-auth-file: {tokens}:2: the token is 9 characters long; tokens must be at least 32\n", await error.DefaultTimeout());
        _ = await output.DefaultTimeout();
    }

    private static string WriteTokenKubeconfig(TestControlPlane controlPlane, string user, string token)
    {
        var path = Path.Combine(controlPlane.DataDir, user + ".conf");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: hostdaemons
              cluster:
                server: {controlPlane.Url}
                certificate-authority-data: {KubeconfigText.Base64(File.ReadAllText(Path.Combine(controlPlane.DataDir, "pki", "ca.crt")))}
            users:
            - name: {user}
              user:
                token: {token}
            contexts:
            - name: {user}
              context:
                cluster: hostdaemons
                user: {user}
            current-context: {user}

            """);
        return path;
    }

    private static X509Certificate2 CertificateIn(string kubeconfig) =>
        X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(Field(kubeconfig, "client-certificate-data"))));

    private static string KeyDataIn(string kubeconfig) => Field(kubeconfig, "client-key-data");

    private static string Field(string kubeconfig, string key) =>
        kubeconfig.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(key + ": ", StringComparison.Ordinal))[(key.Length + 2)..];

    public void Dispose() => _directory.Dispose();
}
