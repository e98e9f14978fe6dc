using Google.Protobuf.Reflection;

namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>Kubernetes' definition names (<c>io.k8s.api.core.v1.PodSpec</c>) for HostDaemons' messages.</summary>
internal static class SchemaNames
{
    public const string Meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    public const string Time = Meta + "Time";
    public const string ObjectMeta = Meta + "ObjectMeta";
    public const string ListMeta = Meta + "ListMeta";
    public const string DeleteOptions = Meta + "DeleteOptions";
    public const string Preconditions = Meta + "Preconditions";
    public const string Status = Meta + "Status";
    public const string StatusDetails = Meta + "StatusDetails";
    public const string StatusCause = Meta + "StatusCause";
    public const string Patch = Meta + "Patch";
    public const string WatchEvent = Meta + "WatchEvent";
    public const string RawExtension = "io.k8s.apimachinery.pkg.runtime.RawExtension";
    public const string Quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    public const string IntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

    // Where HostDaemons' message name differs from Kubernetes' type name.
    private static readonly Dictionary<string, string> s_renamed = new(StringComparer.Ordinal)
    {
        ["google.protobuf.Timestamp"] = Time,
        ["hostdaemons.v1.IntOrString"] = IntOrString,
        ["hostdaemons.v1.EventObjectReference"] = "io.k8s.api.core.v1.ObjectReference",
    };

    // The Kubernetes package of the messages of each .proto file.
    private static readonly Dictionary<string, string> s_packageOfFile = new(StringComparer.Ordinal)
    {
        ["hostdaemons/v1/meta.proto"] = Meta,
        ["hostdaemons/v1/core.proto"] = "io.k8s.api.core.v1.",
        ["hostdaemons/v1/objects.proto"] = "io.k8s.api.core.v1.",
        ["hostdaemons/v1/apps.proto"] = "io.k8s.api.apps.v1.",
        ["hostdaemons/v1/rbac.proto"] = "io.k8s.api.rbac.v1.",
        ["hostdaemons/v1/discovery.proto"] = "io.k8s.api.discovery.v1.",
        ["hostdaemons/v1/scheduling.proto"] = "io.k8s.api.scheduling.v1.",
    };

    public static string For(MessageDescriptor message) =>
        s_renamed.TryGetValue(message.FullName, out var renamed) ? renamed
        : s_packageOfFile.TryGetValue(message.File.Name, out var package) ? package + message.Name
        : "io.hostdaemons.v1." + message.Name;

    public static string Ref(string name) => "#/components/schemas/" + name;
}
