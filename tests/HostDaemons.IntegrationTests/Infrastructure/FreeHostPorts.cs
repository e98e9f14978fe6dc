namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>Host ports for pods' hostPorts.</summary>
public static class FreeHostPorts
{
    /// <summary>
    /// A random high port below Linux's ephemeral range (so no outgoing connection takes it meanwhile) that is free on the
    /// host's loopback now.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        }
    }
}
