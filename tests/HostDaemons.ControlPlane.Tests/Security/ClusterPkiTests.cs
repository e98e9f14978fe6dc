using System.Net;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.ControlPlane.Tests.Security;

public sealed class ClusterPkiTests : IDisposable
{
    private readonly TempDirectory _data = new("hd-pki");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Open_FirstStart_WritesCaServingAndAdminConfWithPrivateModes()
    {
        using var pki = Open();

        var files = new PkiFiles(_data.Path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(files.Directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.CaKey));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.ServingKey));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.AdminKubeconfig));
        Assert.Equal(pki.CaBundlePem, File.ReadAllText(files.CaCertificate));
        Assert.Equal(CaPin.Compute(X509Certificate2.CreateFromPem(File.ReadAllText(files.CaCertificate))), pki.Pin);
        Assert.Equal(pki.Serving.Certificate.Thumbprint, X509Certificate2.CreateFromPem(File.ReadAllText(files.ServingCertificate)).Thumbprint);
        Assert.Empty(Directory.GetFiles(files.Directory, "*.tmp"));
    }

    [Fact]
    public void Open_ServingCertificate_NamesHostLocalhostLoopbackListenAndTlsSans()
    {
        using var pki = Open("https://10.9.8.7:7443", tlsSan: "cp.example, 192.0.2.10");

        var names = ServingCertificate.NamesOf(pki.Serving.Certificate);
        Assert.Equal(["cp.example", Dns.GetHostName().ToLowerInvariant(), "localhost"], names.DnsNames);
        Assert.Equal([IPAddress.Parse("192.0.2.10"), IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("10.9.8.7")], names.Addresses);
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddDays(365), pki.Serving.Certificate.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Open_SecondStart_KeepsCaServingCertificateAndAdminConf()
    {
        string serial, pin, admin;
        using (var first = Open())
        {
            (serial, pin) = (first.Serving.Certificate.SerialNumber, first.Pin);
            admin = File.ReadAllText(first.Files.AdminKubeconfig);
        }

        _time.Advance(TimeSpan.FromDays(30));
        using var second = Open();

        Assert.Equal((serial, pin), (second.Serving.Certificate.SerialNumber, second.Pin));
        Assert.Equal(admin, File.ReadAllText(second.Files.AdminKubeconfig));
    }

    [Fact]
    public void Open_NewTlsSan_IssuesANewServingCertificateFromTheSameCa()
    {
        string serial, pin;
        using (var first = Open())
        {
            (serial, pin) = (first.Serving.Certificate.SerialNumber, first.Pin);
        }

        using var second = Open(tlsSan: "new.example");

        Assert.Equal(pin, second.Pin);
        Assert.NotEqual(serial, second.Serving.Certificate.SerialNumber);
        Assert.Contains("new.example", ServingCertificate.NamesOf(second.Serving.Certificate).DnsNames);
    }

    [Fact]
    public void Open_PastTwoThirdsOfTheServingLife_Renews()
    {
        string serial;
        using (var first = Open())
        {
            serial = first.Serving.Certificate.SerialNumber;
            Assert.Equal(_time.GetUtcNow().AddDays(365 * 2.0 / 3), first.ServingRenewalTime, TimeSpan.FromSeconds(2));
        }

        _time.Advance(TimeSpan.FromDays(244));
        using var second = Open();

        Assert.NotEqual(serial, second.Serving.Certificate.SerialNumber);
    }

    [Fact]
    public void Open_ListenAddressMoved_RewritesAdminConfForTheNewServer()
    {
        using (Open("https://127.0.0.1:7443"))
        {
        }

        using var moved = Open("https://127.0.0.1:8443");

        Assert.Contains("server: https://127.0.0.1:8443", File.ReadAllText(moved.Files.AdminKubeconfig), StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WildcardListen_AdminConfDialsLoopback()
    {
        using var pki = Open("https://0.0.0.0:7443");

        Assert.Contains("server: https://127.0.0.1:7443\n", File.ReadAllText(pki.Files.AdminKubeconfig), StringComparison.Ordinal);
    }

    [Fact]
    public void Open_CaFiles_UsesThemAndWritesNoCaKey()
    {
        using var external = CertificateAuthority.Create(_time.GetUtcNow(), TimeSpan.FromDays(100));
        var certificate = _data.Combine("external-ca.crt");
        var key = _data.Combine("external-ca.key");
        File.WriteAllText(certificate, external.CertificatePem);
        File.WriteAllText(key, external.KeyPem);

        using var pki = Open(caFile: certificate, caKeyFile: key);

        Assert.Equal(external.Pin, pki.Pin);
        Assert.False(File.Exists(pki.Files.CaKey));
        Assert.Null(CertificateTrust.Verify(pki.Serving.Certificate, [external.Certificate], CertificatePurposes.ServerAuth, _time.GetUtcNow()));
    }

    [Fact]
    public void Open_CaFileWithoutItsKey_SaysWhichFileIsMissing()
    {
        using var external = CertificateAuthority.Create(_time.GetUtcNow(), TimeSpan.FromDays(100));
        var certificate = _data.Combine("external-ca.crt");
        File.WriteAllText(certificate, external.CertificatePem);

        var refused = Assert.Throws<PkiException>(() => Open(caFile: certificate, caKeyFile: _data.Combine("missing.key")));

        Assert.Equal($"{_data.Combine("missing.key")}: no such file (the CA certificate and its key go together)", refused.Message);
    }

    [Fact]
    public void Open_CaChanged_IssuesServingAndAdminConfAgain()
    {
        string adminBefore;
        using (var first = Open())
        {
            adminBefore = File.ReadAllText(first.Files.AdminKubeconfig);
        }

        using var external = CertificateAuthority.Create(_time.GetUtcNow(), TimeSpan.FromDays(100));
        File.WriteAllText(_data.Combine("other.crt"), external.CertificatePem);
        File.WriteAllText(_data.Combine("other.key"), external.KeyPem);
        using var second = Open(caFile: _data.Combine("other.crt"), caKeyFile: _data.Combine("other.key"));

        Assert.Null(CertificateTrust.Verify(second.Serving.Certificate, [external.Certificate], CertificatePurposes.ServerAuth, _time.GetUtcNow()));
        Assert.NotEqual(adminBefore, File.ReadAllText(second.Files.AdminKubeconfig));
    }

    [Fact]
    public void RenewServingCertificate_Swaps_NewHandshakesGetTheNewOneAndTheFileFollows()
    {
        using var pki = Open();
        var before = pki.Serving.Certificate;
        _time.Advance(TimeSpan.FromDays(1));

        var renewed = pki.RenewServingCertificate();

        Assert.NotEqual(before.SerialNumber, renewed.SerialNumber);
        Assert.Same(renewed, pki.Serving.Certificate);
        Assert.Equal(renewed.Thumbprint, X509Certificate2.CreateFromPem(File.ReadAllText(pki.Files.ServingCertificate)).Thumbprint);
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddDays(365), renewed.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void IssueNodeCertificate_Csr_IsTheNodesClientCertificate()
    {
        using var pki = Open();
        using var key = System.Security.Cryptography.ECDsa.Create();
        var csr = new CertificateRequest("CN=anything", key, System.Security.Cryptography.HashAlgorithmName.SHA256).CreateSigningRequest();

        using var node = pki.IssueNodeCertificate(csr, "edge-01", TimeSpan.FromDays(90));

        var identity = CertificateIdentities.From(node, out _)!;
        Assert.Equal("edge-01", identity.NodeName);
        Assert.Null(CertificateTrust.Verify(node, pki.Authorities, CertificatePurposes.ClientAuth, _time.GetUtcNow()));
    }

    private ClusterPki Open(string listen = "https://127.0.0.1:7443", string tlsSan = "", string caFile = "", string caKeyFile = "") =>
        ClusterPki.Open(
            new ControlPlaneOptions { DataDir = _data.Path, Listen = listen, TlsSan = tlsSan, CaFile = caFile, CaKeyFile = caKeyFile },
            ListenEndpoint.Parse(listen), _time, NullLogger<ClusterPki>.Instance);

    public void Dispose() => _data.Dispose();
}
