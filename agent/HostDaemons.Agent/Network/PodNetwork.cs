namespace HostDaemons.Agent.Network;

/// <summary>
/// The Docker network the pods without hostNetwork run on (<c>--pod-network</c>), as chosen at start by
/// <see cref="PodNetworkSelector"/>: <c>none</c> (no address, only the pod's loopback) or the name of a Docker network,
/// on which each pod's sandbox gets the pod's address.
/// </summary>
internal sealed class PodNetwork
{
    public const string None = "none";

    /// <summary>Docker's default network: what a pod gets when <c>--pod-network</c> is not set and the engine has it.</summary>
    public const string DefaultNetwork = "bridge";

    private volatile string? _name;

    public PodNetwork()
    {
    }

    /// <summary>A network chosen up front (tests, or a host built without the selector).</summary>
    public PodNetwork(string name) => _name = name;

    /// <summary>The chosen network; <c>none</c> until one is chosen.</summary>
    public string Name => _name ?? None;

    public void Choose(string name) => _name = name;
}
