using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>
/// A Debian container with systemd as PID 1 (the image scripts/test builds with debootstrap), on the host's network and
/// with the host's Docker socket, so packages installed in it run a real agent against the real engine.
/// </summary>
public sealed class SystemdContainer : IAsyncDisposable
{
    public const string Image = "hostdaemons/systemd-bookworm:1";

    private SystemdContainer(string name) => Name = name;

    public string Name { get; }

    public static async Task<SystemdContainer> StartAsync(string name)
    {
        await DockerCliAsync(["rm", "-f", name], check: false);
        await DockerCliAsync(["run", "-d", "--name", name, "--network", "host", "--cap-add", "SYS_ADMIN",
            "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
            "--tmpfs", "/run", "--tmpfs", "/run/lock", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw",
            "-v", "/var/run/docker.sock:/var/run/docker.sock", Image, "/sbin/init"]);
        var container = new SystemdContainer(name);
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await container.ShellAsync("systemctl is-system-running", check: false)).Output.Trim() is "running" or "degraded",
            "systemd in the container reaches running");
        return container;
    }

    /// <summary>Runs <paramref name="script"/> with sh in the container; by default a non-zero exit fails the test.</summary>
    public Task<(int Code, string Output, string Error)> ShellAsync(string script, bool check = true) =>
        DockerCliAsync(["exec", Name, "sh", "-c", script], check);

    public Task CopyInAsync(string hostPath, string containerPath) => DockerCliAsync(["cp", hostPath, $"{Name}:{containerPath}"]);

    public async ValueTask DisposeAsync() => await DockerCliAsync(["rm", "-f", Name], check: false);

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int Code, string Output, string Error)> DockerCliAsync(string[] args, bool check = true)
    {
        var cli = File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
        var start = new ProcessStartInfo(cli, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).DefaultTimeout(TimeSpan.FromMinutes(2));
        var result = (process.ExitCode, await output, await error);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', args)} exited with {process.ExitCode}: {result.Item3}{result.Item2}");
        }

        return result;
    }
}
