using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>A namespace's description.</summary>
internal sealed partial class Describer
{
    /// <summary>
    /// kubectl's describeNamespace. Its resource quota and limit range sections are left out, as kubectl leaves them
    /// out for a server that does not serve those kinds: HostDaemons has neither.
    /// </summary>
    public static string Namespace(Namespace ns)
    {
        var w = Header(ns.Metadata, withNamespace: false);
        w.Write(0, $"Status:\t{ns.Status?.Phase}\n");
        return w.ToString();
    }
}
