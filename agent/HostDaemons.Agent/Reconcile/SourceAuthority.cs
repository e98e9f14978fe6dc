using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Which of the two sources of desired pods is known yet: the assigned pods (from the state directory or the control
/// plane) and the static pods (from the manifest directory). A container the agent does not recognise may be stopped
/// only once the source it belongs to is known.
/// </summary>
internal readonly record struct SourceAuthority(bool Assigned, bool Static)
{
    /// <summary>The owner label of a static pod's containers (a daemon pod's is <c>DaemonSet/&lt;name&gt;</c>).</summary>
    public const string StaticOwner = "static";

    public static bool IsStatic(RuntimeContainer container) => container.Get(ContainerLabels.Owner) == StaticOwner;

    public bool MayStop(RuntimeContainer container) => IsStatic(container) ? Static : Assigned;
}
