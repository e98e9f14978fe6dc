namespace HostDaemons.Model.Objects;

/// <summary>The labels Kubernetes' EndpointSlice controller puts on the slices it keeps for a Service.</summary>
public static class EndpointSliceLabels
{
    /// <summary>The Service a slice belongs to: <c>kubectl describe service</c> and clients find its slices by it.</summary>
    public const string ServiceName = "kubernetes.io/service-name";

    public const string ManagedBy = "endpointslice.kubernetes.io/managed-by";

    /// <summary>The <see cref="ManagedBy"/> value of the slices the control plane keeps.</summary>
    public const string Controller = "endpointslice-controller.k8s.io";

    /// <summary>Set (empty) on the slices of a headless Service.</summary>
    public const string Headless = "service.kubernetes.io/headless";
}
