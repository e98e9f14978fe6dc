using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace HostDaemons.Agent.ControlPlane;

/// <summary>The host's address as pods see it (status.hostIP): the first up, non-loopback IPv4 address.</summary>
internal static class HostAddress
{
    public static string Detect()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)?.ToString() ?? "127.0.0.1";
        }
        catch (NetworkInformationException)
        {
            return "127.0.0.1";
        }
    }
}
