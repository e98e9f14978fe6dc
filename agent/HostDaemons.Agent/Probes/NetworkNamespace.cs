using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace HostDaemons.Agent.Probes;

/// <summary>
/// Sockets that live in a container's network namespace, for pods without an address the agent can reach (Docker
/// network mode none, or a sandbox's namespace). Needs root (CAP_SYS_ADMIN) and Linux.
/// </summary>
internal static partial class NetworkNamespace
{
    private const int CloneNewNet = 0x40000000;
    private const int ReadOnlyCloseOnExec = 0x80000;

    /// <summary>A TCP socket created inside the network namespace of process <paramref name="pid"/>.</summary>
    public static Task<Socket> CreateSocketAsync(int pid, AddressFamily family)
    {
        var created = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);

        // setns moves only the calling thread, and a socket keeps the namespace it was created in for its whole life
        // (connect included): so the socket is made on a thread of its own, which ends right after and takes the
        // namespace change with it. Nothing else ever runs on that thread.
        var thread = new Thread(() =>
        {
            try
            {
                created.SetResult(CreateOnThisThread(pid, family));
            }
            catch (Exception ex)
            {
                created.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "hd-probe-netns",
        };
        thread.UnsafeStart();
        return created.Task;
    }

    private static Socket CreateOnThisThread(int pid, AddressFamily family)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/ns/net");
        var fd = Open(path, ReadOnlyCloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"open {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            if (SetNs(fd, CloneNewNet) != 0)
            {
                throw new IOException($"setns {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            _ = Close(fd);
        }

        return new Socket(family, SocketType.Stream, ProtocolType.Tcp);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int namespaceType);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
