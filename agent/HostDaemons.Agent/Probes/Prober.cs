using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Probes;

/// <summary>
/// The kubelet's probers: exec runs the command in the container (exit code 0 passes), httpGet passes on a status
/// from 200 to 399 (following redirects on the same host, as the kubelet does), tcpSocket passes when it connects.
/// Every run is bounded by the probe's timeout on the agent's clock.
/// </summary>
internal sealed class Prober(IContainerRuntime runtime, TimeProvider time) : IProber
{
    private const int MaxRedirects = 10;

    // Some applications recognise the kubelet's probes by their user agent (to keep them out of access logs).
    private const string UserAgent = "kube-probe/1.33";

    public async Task<ProbeOutcome> ProbeAsync(ProbeKind kind, Probe probe, ProbeTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(target);

        var timeout = TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds));
        if (probe.Exec is { } exec)
        {
            return await ExecAsync(exec, target, timeout, cancellationToken).ConfigureAwait(false);
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        if (probe.HttpGet is { } http)
        {
            return await HttpGetAsync(http, target, timeout, deadline, linked.Token).ConfigureAwait(false);
        }

        if (probe.TcpSocket is { } tcp)
        {
            return await TcpSocketAsync(tcp, target, timeout, deadline, linked.Token).ConfigureAwait(false);
        }

        return ProbeOutcome.Failure("the probe has no handler");
    }

    /// <summary>A port number, or the number of the container port with that name (or a number written as a string).</summary>
    internal static int? ResolvePort(IntOrString? port, Container container)
    {
        if (port is null)
        {
            return null;
        }

        if (port.ValueCase == IntOrString.ValueOneofCase.IntValue)
        {
            return port.IntValue is >= 1 and <= 65535 ? port.IntValue : null;
        }

        if (container.Ports.FirstOrDefault(p => p.Name == port.StringValue) is { } named)
        {
            return named.ContainerPort_;
        }

        return int.TryParse(port.StringValue, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535 ? number : null;
    }

    private async Task<ProbeOutcome> ExecAsync(ExecAction exec, ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ExecResult result;
        try
        {
            result = await runtime.ExecAsync(target.Instance.Id, exec.Command, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerRuntimeException ex)
        {
            return ProbeOutcome.Failure(ex.Message);
        }

        if (result.TimedOut)
        {
            return ProbeOutcome.Failure(string.Create(CultureInfo.InvariantCulture, $"command \"{string.Join(' ', exec.Command)}\" timed out after {timeout.TotalSeconds}s"));
        }

        var output = result.Output.Trim();
        return result.ExitCode == 0
            ? ProbeOutcome.Success(output)
            : ProbeOutcome.Failure(string.Create(CultureInfo.InvariantCulture, $"command \"{string.Join(' ', exec.Command)}\" exited with {result.ExitCode}{(output.Length > 0 ? ": " + output : "")}"));
    }

    private static async Task<ProbeOutcome> TcpSocketAsync(TCPSocketAction tcp, ProbeTarget target, TimeSpan timeout, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        if (ResolvePort(tcp.Port, target.Container.Container) is not { } port)
        {
            return ProbeOutcome.Failure($"port {tcp.Port} is not a port number or the name of a container port");
        }

        var host = tcp.Host.Length > 0 ? tcp.Host : ProbeDialer.DefaultHost;
        var address = string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
        try
        {
            using var socket = await ProbeDialer.ConnectAsync(target, host, port, cancellationToken).ConfigureAwait(false);
            return ProbeOutcome.Success();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return ProbeOutcome.Failure(string.Create(CultureInfo.InvariantCulture, $"dial tcp {address}: i/o timeout after {timeout.TotalSeconds}s"));
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return ProbeOutcome.Failure($"dial tcp {address}: {ex.Message}");
        }
    }

    private static Task<ProbeOutcome> HttpGetAsync(HTTPGetAction http, ProbeTarget target, TimeSpan timeout, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        if (ResolvePort(http.Port, target.Container.Container) is not { } port)
        {
            return Task.FromResult(ProbeOutcome.Failure($"port {http.Port} is not a port number or the name of a container port"));
        }

        return HttpGetAsync(http, port, (host, p, token) => ProbeDialer.ConnectAsync(target, host, p, token), UserAgent, anyStatusPasses: false, timeout, deadline, cancellationToken);
    }

    /// <summary>
    /// One GET as the kubelet's prober sends it, over connections <paramref name="connect"/> opens (in the pod's network
    /// namespace). A probe passes on 200–399; a lifecycle hook (<paramref name="anyStatusPasses"/>) on any answer.
    /// </summary>
    [SuppressMessage("Security", "CA5359:Do Not Disable Certificate Validation", Justification = "As the kubelet: a probe checks that the endpoint answers, not who it is; pods commonly serve self-signed certificates.")]
    internal static async Task<ProbeOutcome> HttpGetAsync(HTTPGetAction http, int port, Func<string, int, CancellationToken, Task<Socket>> connect, string userAgent, bool anyStatusPasses,
        TimeSpan timeout, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        var scheme = string.Equals(http.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;
        var host = http.Host.Length > 0 ? http.Host : ProbeDialer.DefaultHost;
        var path = http.Path.StartsWith('/') ? http.Path : "/" + http.Path;
        var authority = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        if (!Uri.TryCreate(string.Create(CultureInfo.InvariantCulture, $"{scheme}://{authority}:{port}{path}"), UriKind.Absolute, out var url))
        {
            return ProbeOutcome.Failure($"invalid probe URL for host \"{host}\" and path \"{http.Path}\"");
        }

        // No connection pooling: every probe opens its own connection (the kubelet disables keep-alives), and the
        // connection is made where the pod's network is, whatever the URL's host resolves to on the agent.
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = async (context, token) =>
                new NetworkStream(await connect(context.DnsEndPoint.Host, context.DnsEndPoint.Port, token).ConfigureAwait(false), ownsSocket: true),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = AcceptAnyCertificate },
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                AddHeaders(request, http, userAgent);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (IsFollowedRedirect(response.StatusCode) && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    if (next.Scheme is "http" or "https" && string.Equals(next.Host, url.Host, StringComparison.OrdinalIgnoreCase) && next.Port == url.Port)
                    {
                        if (redirects + 1 >= MaxRedirects)
                        {
                            return ProbeOutcome.Failure($"Get \"{url}\": stopped after {MaxRedirects} redirects");
                        }

                        url = next;
                        continue;
                    }

                    // A redirect elsewhere ends the probe: the kubelet counts it as passed (with a warning).
                    return ProbeOutcome.Success(string.Create(CultureInfo.InvariantCulture, $"probe terminated redirects, response: {status}"));
                }

                return anyStatusPasses || status is >= 200 and < 400
                    ? ProbeOutcome.Success()
                    : ProbeOutcome.Failure(string.Create(CultureInfo.InvariantCulture, $"HTTP probe failed with statuscode: {status}"));
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return ProbeOutcome.Failure(string.Create(CultureInfo.InvariantCulture, $"Get \"{url}\": timed out after {timeout.TotalSeconds}s"));
        }
        catch (HttpRequestException ex)
        {
            return ProbeOutcome.Failure($"Get \"{url}\": {ex.InnerException?.Message ?? ex.Message}");
        }
    }

    private static void AddHeaders(HttpRequestMessage request, HTTPGetAction http, string userAgent)
    {
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        foreach (var group in http.HttpHeaders.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (string.Equals(group.Key, "Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = group.Last().Value;
                continue;
            }

            // The probe's own headers replace the defaults of the same name.
            request.Headers.Remove(group.Key);
            request.Headers.TryAddWithoutValidation(group.Key, group.Select(h => h.Value));
        }
    }

    private static bool IsFollowedRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool AcceptAnyCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;
}
