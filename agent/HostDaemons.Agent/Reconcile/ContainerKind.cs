namespace HostDaemons.Agent.Reconcile;

internal enum ContainerKind
{
    /// <summary>One of the pod's <c>containers</c>.</summary>
    App,

    /// <summary>An init container: runs to completion, in order, before the app containers.</summary>
    Init,

    /// <summary>An init container with <c>restartPolicy: Always</c> (Kubernetes 1.29 sidecars): started in order, kept running.</summary>
    Sidecar,
}
