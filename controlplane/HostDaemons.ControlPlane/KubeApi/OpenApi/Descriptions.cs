namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>HostDaemons' own words for the fields every object has.</summary>
internal static class Descriptions
{
    public const string ApiVersion = "The API group and version of the object's schema: apps/v1, v1.";
    public const string Kind = "The kind of the object, in CamelCase: DaemonSet, Pod.";
    public const string Metadata = "The object's name, namespace, labels, annotations and owners, and what the system records of it.";
    public const string Spec = "What the object should be: written by its owner.";
    public const string Status = "What the object is: written by the control plane and the agents, read-only to others.";
}
