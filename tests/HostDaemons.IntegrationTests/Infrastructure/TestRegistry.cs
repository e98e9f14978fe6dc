using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>
/// A private registry: Debian's <c>docker-registry</c> on 127.0.0.1 (which Docker reaches over plain HTTP) with
/// htpasswd basic auth for one user, its storage in a temp directory. Disposing stops it and removes its storage and
/// every local image of it. Tests that need one skip when the package is missing (scripts/test installs it).
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("hd-registry");
    private readonly DockerClient _docker = new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();
    private readonly List<string> _output = [];
    private Process? _process;

    private TestRegistry(string username, string password)
    {
        Username = username;
        Password = password;
    }

    /// <summary>host:port, as image names and <c>--docker-server</c> write it.</summary>
    public string Host { get; private set; } = "";

    public string Username { get; }

    public string Password { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<TestRegistry> StartAsync(string username, string password)
    {
        var registryBinary = Which("docker-registry");
        var htpasswd = Which("htpasswd");
        if (registryBinary is null || htpasswd is null)
        {
            Assert.Skip("needs Debian's docker-registry and htpasswd (apache2-utils): scripts/test installs them");
        }

        var registry = new TestRegistry(username, password);
        try
        {
            await registry.LaunchAsync(registryBinary, htpasswd);
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    /// <summary>Tags a local image as <c>HOST/repository:tag</c>, pushes it with this registry's credentials, and removes the local tag.</summary>
    public async Task<string> PushAsync(string localImage, string repository, string tag)
    {
        var name = $"{Host}/{repository}";
        await _docker.Images.TagImageAsync(localImage, new ImageTagParameters { RepositoryName = name, Tag = tag }, Ct);
        string? error = null;
        await _docker.Images.PushImageAsync(name, new ImagePushParameters { Tag = tag },
            new AuthConfig { Username = Username, Password = Password, ServerAddress = Host },
            new SynchronousProgress(m => error ??= m.Error?.Message), Ct);
        Assert.True(error is null, $"pushing {name}:{tag} failed: {error}");
        await _docker.Images.DeleteImageAsync($"{name}:{tag}", new ImageDeleteParameters(), Ct);
        return $"{name}:{tag}";
    }

    public Task<bool> HasLocalImageAsync(string image) => ImageExistsAsync(image);

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).DefaultTimeout();
        }

        _process?.Dispose();
        if (Host.Length > 0)
        {
            var images = await _docker.Images.ListImagesAsync(new ImagesListParameters { All = true }, CancellationToken.None);
            foreach (var reference in images.SelectMany(i => i.RepoTags ?? []).Where(t => t.StartsWith(Host + "/", StringComparison.Ordinal)))
            {
                try
                {
                    await _docker.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true }, CancellationToken.None);
                }
                catch (DockerApiException)
                {
                }
            }
        }

        _docker.Dispose();
        _directory.Dispose();
    }

    /// <summary>The registry's own log, for a failing test's message.</summary>
    public string Log()
    {
        lock (_output)
        {
            return string.Join("\n", _output.TakeLast(20));
        }
    }

    private async Task LaunchAsync(string registryBinary, string htpasswd)
    {
        var port = FreePort();
        Host = $"127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var passwordFile = _directory.Combine("htpasswd");
        await File.WriteAllTextAsync(passwordFile, await RunAsync(htpasswd, "-Bbn", Username, Password), Ct);
        var config = _directory.Combine("config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: info
            storage:
              filesystem:
                rootdirectory: {_directory.Combine("storage")}
            http:
              addr: {Host}
            auth:
              htpasswd:
                realm: hostdaemons-test
                path: {passwordFile}
            """, Ct);

        _process = Process.Start(new ProcessStartInfo(registryBinary, ["serve", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("docker-registry did not start");
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Up when the API answers, and answers "who are you?".
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}: {Log()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://{Host}/v2/"), Ct);
                return response.StatusCode == HttpStatusCode.Unauthorized;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"the registry on {Host} to answer", describe: () => Task.FromResult(Log()));
    }

    private async Task<bool> ImageExistsAsync(string image)
    {
        try
        {
            await _docker.Images.InspectImageAsync(image, Ct);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct).DefaultTimeout();
        Assert.True(process.ExitCode == 0, $"{file} failed: {await error}");
        return await output;
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':')
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class SynchronousProgress(Action<JSONMessage> report) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value) => report(value);
    }
}
