using HostDaemons.ControlPlane.Hosting;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane.Tests.Security;

public sealed class ControlPlaneOptionsTlsTests
{
    [Fact]
    public void Defaults_ListenOnLoopbackOverTls()
    {
        Assert.Equal("https://127.0.0.1:7443", new ControlPlaneOptions().Listen);
    }

    [Fact]
    public void Validate_CaFileWithoutKey_NamesTheMissingFlag()
    {
        var result = new ControlPlaneOptionsCrossValidator().Validate(null, new ControlPlaneOptions { CaFile = "/etc/ca.crt" });

        Assert.Equal(["Property ca-key-file: --ca-file and --ca-key-file go together: the CA's certificate and its private key"], result.Failures);
    }

    [Fact]
    public void Validate_BadDefaultPodSecurity_IsNamed()
    {
        Assert.Equal("privileged", new ControlPlaneOptions().DefaultPodSecurity);
        Assert.True(new ControlPlaneOptionsCrossValidator().Validate(null, new ControlPlaneOptions { DefaultPodSecurity = "baseline" }).Succeeded);

        var result = new ControlPlaneOptionsCrossValidator().Validate(null, new ControlPlaneOptions { DefaultPodSecurity = "strict" });

        Assert.Equal(["Property default-pod-security: \"strict\": must be one of privileged, baseline, restricted"], result.Failures);
    }

    [Fact]
    public void Validate_BadTlsSan_IsNamed()
    {
        var result = new ControlPlaneOptionsCrossValidator().Validate(null, new ControlPlaneOptions { TlsSan = "cp.example,not a name" });

        Assert.Equal(["Property tls-san: \"not a name\" is neither an IP address nor a DNS name"], result.Failures);
    }

    [Fact]
    public void Build_PlaintextOnEveryAddress_FailsBeforeStarting()
    {
        using var data = new TempDirectory("hd-listen");

        var refused = Assert.Throws<OptionsValidationException>(() => ControlPlaneHost.Build(["--listen", "http://0.0.0.0:7070", "--data-dir", data.Path], new Dictionary<string, string?>()));

        Assert.StartsWith("Property listen: refusing to serve plaintext http:// on 0.0.0.0", Assert.Single(refused.Failures), StringComparison.Ordinal);
        // The service account signing key (pki/sa.key) is made in every mode: tokens work in development mode too.
        Assert.False(File.Exists(Path.Combine(data.Path, "pki", "ca.crt")));
        Assert.False(File.Exists(Path.Combine(data.Path, "pki", "ca.key")));
        Assert.False(File.Exists(Path.Combine(data.Path, "admin.conf")));
    }

    [Fact]
    public void Build_TlsListener_SetsUpThePkiBeforeStarting()
    {
        using var data = new TempDirectory("hd-listen");

        using var app = (IDisposable)ControlPlaneHost.Build(["--listen", "https://127.0.0.1:7443", "--data-dir", data.Path, "--tls-san", "cp.example"], new Dictionary<string, string?>());

        Assert.True(File.Exists(Path.Combine(data.Path, "pki", "ca.key")));
        Assert.True(File.Exists(Path.Combine(data.Path, "admin.conf")));
    }

    [Fact]
    public void Build_DevelopmentMode_MakesNoCertificates()
    {
        using var data = new TempDirectory("hd-listen");

        using var app = (IDisposable)ControlPlaneHost.Build(["--listen", "http://127.0.0.1:7070", "--data-dir", data.Path], new Dictionary<string, string?>());

        // The service account signing key (pki/sa.key) is made in every mode: tokens work in development mode too.
        Assert.False(File.Exists(Path.Combine(data.Path, "pki", "ca.crt")));
        Assert.False(File.Exists(Path.Combine(data.Path, "pki", "ca.key")));
        Assert.False(File.Exists(Path.Combine(data.Path, "admin.conf")));
    }
}
