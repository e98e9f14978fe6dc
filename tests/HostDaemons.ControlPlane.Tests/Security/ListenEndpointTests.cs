using System.Net;
using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Tests.Security;

public sealed class ListenEndpointTests
{
    [Theory]
    [InlineData("https://127.0.0.1:7443", "127.0.0.1", 7443, true, "https://127.0.0.1:7443")]
    [InlineData("https://0.0.0.0:7443", "0.0.0.0", 7443, true, "https://127.0.0.1:7443")]
    [InlineData("https://[::]:7443", "::", 7443, true, "https://[::1]:7443")]
    [InlineData("https://10.0.0.5:443", "10.0.0.5", 443, true, "https://10.0.0.5:443")]
    [InlineData("http://127.0.0.1:7070", "127.0.0.1", 7070, false, "http://127.0.0.1:7070")]
    [InlineData("http://[::1]:7070", "::1", 7070, false, "http://[::1]:7070")]
    [InlineData("http://127.8.9.10:7070", "127.8.9.10", 7070, false, "http://127.8.9.10:7070")]
    public void Parse_AcceptedUrl_GivesAddressPortAndMode(string url, string address, int port, bool tls, string local)
    {
        var endpoint = ListenEndpoint.Parse(url);

        Assert.Equal((IPAddress.Parse(address), port, tls, !tls, local), (endpoint.Address, endpoint.Port, endpoint.IsTls, endpoint.IsDevelopmentMode, endpoint.LocalUrl));
    }

    [Fact]
    public void Parse_Localhost_HasNoAddressAndIsLoopback()
    {
        var endpoint = ListenEndpoint.Parse("http://localhost:7070");

        Assert.True(endpoint is { Address: null, IsLocalhost: true, IsLoopback: true, LocalUrl: "http://localhost:7070" });
    }

    [Theory]
    [InlineData("http://0.0.0.0:7070", "0.0.0.0", "https://0.0.0.0:7070")]
    [InlineData("http://10.0.0.5:7070", "10.0.0.5", "https://10.0.0.5:7070")]
    [InlineData("http://[::]:7070", "[::]", "https://[::]:7070")]
    public void TryParse_PlaintextOffLoopback_IsRefusedSayingWhyAndWhatToUse(string url, string host, string secure)
    {
        Assert.False(ListenEndpoint.TryParse(url, out _, out var error));

        Assert.Equal($"refusing to serve plaintext http:// on {host}: every caller of a plaintext control plane is an administrator and nodes are whoever "
            + "they say they are, so http:// is only for development on a loopback address (127.0.0.1, ::1, localhost); "
            + $"use --listen {secure} to serve other hosts over TLS with client certificates", error);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:7070", "must be an https://ADDRESS:PORT URL, got \"ftp://127.0.0.1:7070\"")]
    [InlineData("127.0.0.1:7070", "must be an https://ADDRESS:PORT URL, got \"127.0.0.1:7070\"")]
    [InlineData("https://127.0.0.1:7443/api", "must be an https://ADDRESS:PORT URL, got \"https://127.0.0.1:7443/api\"")]
    [InlineData("https://cp.example:7443", "\"cp.example\" in \"https://cp.example:7443\" must be an IP address or localhost (to listen on every address, use 0.0.0.0)")]
    public void TryParse_OtherShapes_AreRefused(string url, string expected)
    {
        Assert.False(ListenEndpoint.TryParse(url, out _, out var error));

        Assert.Equal(expected, error);
    }

    [Fact]
    public void ServingNames_WildcardListen_StandsForEveryInterfaceAddress()
    {
        var names = ServingNames.For(ListenEndpoint.Parse("https://0.0.0.0:7443"), "", () => [IPAddress.Parse("192.0.2.7"), IPAddress.Loopback]);

        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("192.0.2.7")], names.Addresses);
    }

    [Fact]
    public void ServingNames_TlsSans_SplitIntoNamesAndAddresses()
    {
        var names = ServingNames.For(ListenEndpoint.Parse("https://127.0.0.1:7443"), " CP.example ,[2001:db8::1],10.0.0.1,,");

        Assert.Equal(["cp.example", Dns.GetHostName().ToLowerInvariant(), "localhost"], names.DnsNames);
        Assert.Equal([IPAddress.Parse("2001:db8::1"), IPAddress.Parse("10.0.0.1"), IPAddress.Loopback, IPAddress.IPv6Loopback], names.Addresses);
    }

    [Fact]
    public void ServingNames_Covers_NeedsEveryRequiredName()
    {
        var have = new ServingNames(["a.example", "localhost"], [IPAddress.Loopback]);

        Assert.True(have.Covers(new ServingNames(["A.example"], [IPAddress.Loopback])));
        Assert.False(have.Covers(new ServingNames(["b.example"], [])));
        Assert.False(have.Covers(new ServingNames([], [IPAddress.IPv6Loopback])));
    }
}
